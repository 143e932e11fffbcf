//! The ceiling for read benchmarks: a bare actix-web `HttpServer` that answers every request
//! with one file's bytes, with the same number of workers as the service. `scripts/bench`
//! compares each endpoint of the service to this server serving that endpoint's own bytes.
//!
//! `cargo run --release --example ceiling -- FILE ADDR [CONTENT-TYPE] [WORKERS]`
//! (WORKERS 0 or absent: one per core, as the service).

use actix_web::{App, HttpResponse, HttpServer, web};

/// The service's allocator, so that the two are compared on their work alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = || std::io::Error::other("usage: ceiling FILE ADDR [CONTENT-TYPE] [WORKERS]");
    let file = args.next().ok_or_else(usage)?;
    let addr = args.next().ok_or_else(usage)?;
    let content_type = args.next().unwrap_or_else(|| "application/json".to_owned());
    let workers: usize = args
        .next()
        .map_or(Ok(0), |n| n.parse())
        .map_err(|_| usage())?;
    let body = web::Bytes::from(std::fs::read(&file)?);
    let server = HttpServer::new(move || {
        let body = body.clone();
        let content_type = content_type.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            let content_type = content_type.clone();
            async move {
                HttpResponse::Ok()
                    .insert_header(("content-type", content_type))
                    .body(body)
            }
        }))
    });
    let server = if workers > 0 {
        server.workers(workers)
    } else {
        server
    };
    server.bind(addr)?.run().await
}
