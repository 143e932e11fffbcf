//! `jixiao healthcheck`: asks a running service whether it is ready, for container health checks.
//!
//! It speaks just enough HTTP/1.1 over a plain socket that the image needs no curl: one
//! `GET /healthz`, then the status line of the answer.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use crate::config::HealthcheckArgs;

/// Exits 0 when `GET /healthz` answers 200 within the timeout, 1 otherwise, saying why.
#[must_use]
pub fn run(args: &HealthcheckArgs) -> ExitCode {
    match check(args.addr, Duration::from_secs(args.timeout.max(1))) {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("jixiao healthcheck: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn check(addr: SocketAddr, timeout: Duration) -> Result<(), String> {
    let target = reachable(addr);
    let mut stream = TcpStream::connect_timeout(&target, timeout)
        .map_err(|e| format!("无法连接 {target}：{e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("请求未能发出：{e}"))?;
    // The status line is all that matters; read a bounded prefix of the answer.
    let mut head = [0_u8; 256];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(format!("未收到应答：{e}")),
        }
        if head[..read].contains(&b'\n') {
            break;
        }
    }
    let status_line = String::from_utf8_lossy(&head[..read]);
    let status_line = status_line.lines().next().unwrap_or_default();
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status == "200" {
        Ok(())
    } else {
        Err(format!("服务未就绪：{status_line}"))
    }
}

/// The address to ask: a service bound to every interface is asked on loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspecified_address_is_asked_on_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(reachable(any).to_string(), "127.0.0.1:8080");
        let own: SocketAddr = "10.1.2.3:9".parse().unwrap();
        assert_eq!(reachable(own), own);
    }

    #[test]
    fn a_closed_port_is_unhealthy() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        assert!(check(addr, Duration::from_secs(1)).is_err());
    }
}
