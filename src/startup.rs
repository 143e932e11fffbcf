//! Building the application: rulesets, database, examples, and the HTTP server on a bound
//! listener (port 0 in tests).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actix_cors::Cors;
use std::future::ready;

use actix_http::HttpService;
use actix_http::error::DispatchError;
use actix_service::{IntoServiceFactory as _, ServiceFactoryExt as _, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, web};
use utoipa::OpenApi as _;
use utoipa_actix_web::AppExt as _;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{RulesArgs, ServeArgs};
use crate::domain::access::{Principal, Role};
use crate::domain::document::EvaluationDocument;
use crate::domain::lifecycle::Transition;
use crate::domain::precondition::Expected;
use crate::domain::ruleset::Ruleset;
use crate::domain::rulesets::{Rulesets, RulesetsError};
use crate::domain::validation::evaluate;
use crate::error::ApiError;
use crate::http::{self, AppState, extract::parse_json, fallback};
use crate::storage::evaluations::{self as store, Submission};
use crate::storage::{Database, StorageError};
use crate::storage::{review, rulesets as storage_rulesets, tokens};

/// How long in-flight requests may run on after SIGTERM before the workers stop.
const SHUTDOWN_GRACE_SECS: u64 = 30;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A file or socket could not be used.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The rulesets are not usable.
    #[error("rulesets: {0}")]
    Rulesets(#[from] RulesetsError),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Storage(#[from] StorageError),
    /// An example form could not be loaded.
    #[error("example {file}: {reason}")]
    Example {
        /// Which file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
}

/// A built server, bound and ready to run.
pub struct Application {
    port: u16,
    server: Server,
    first_admin_token: Option<String>,
}

impl Application {
    /// Loads rulesets, opens and migrates the database, loads the examples into an empty one,
    /// and binds the listener.
    ///
    /// # Errors
    /// When any of those fails.
    pub fn build(args: &ServeArgs) -> Result<Self, StartupError> {
        let db = Database::open(&args.db)?;
        let rulesets = with_published(load_rulesets(&args.rules)?, &db)?;
        let first_admin_token = first_admin_token(&db)?;
        if !args.no_examples {
            load_examples(&db, &rulesets, &args.examples_dir)?;
        }
        let listener = TcpListener::bind(args.addr)?;
        let port = listener.local_addr()?.port();
        let state = AppState {
            db,
            rulesets: http::RulesetsInForce::new(rulesets),
            body_limit: args.body_limit,
            bulk_limit: args.bulk_limit,
            public_reading: args.public_reading,
            stats_cache: Default::default(),
            read_cache: Default::default(),
        };
        let server = serve(listener, state, args)?;
        tracing::info!(port, db = %args.db.display(), "jixiao is listening");
        Ok(Self {
            port,
            server,
            first_admin_token,
        })
    }

    /// The admin token created because the database had none, to be shown to the operator
    /// once. Only its hash is stored; it cannot be shown again.
    #[must_use]
    pub fn first_admin_token(&self) -> Option<&str> {
        self.first_admin_token.as_deref()
    }

    /// The port the listener is bound to.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is told to stop (SIGINT/SIGTERM), letting in-flight requests
    /// finish.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// How long an idle kept-alive connection stays open between requests.
const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// Serves the app on `listener`. Each connection is read through the edge
/// (`http::edge::Guarded`), which gives every request head its deadline and answers heads the
/// HTTP library could not parse with problem documents; the rest is what `HttpServer` would
/// build, which cannot take a connection wrapper.
fn serve(listener: TcpListener, state: AppState, args: &ServeArgs) -> Result<Server, StartupError> {
    let state = web::Data::new(state);
    let origins = args.cors_origins.clone();
    let body_limit = args.body_limit;
    let timeout = Duration::from_secs(args.request_timeout);
    let local_addr = listener.local_addr()?;
    let app = move || {
        let (app, api) = App::new()
            .into_utoipa_app()
            .openapi(http::ApiDoc::openapi())
            .service(http::health::healthz)
            .service(utoipa_actix_web::scope("/api/v1").configure(http::api_v1))
            .split_for_parts();
        let api = http::finish(api);
        let known_paths = fallback::KnownPaths::from_openapi(&api);
        let query_rules = http::query::QueryRules::from_openapi(&api);
        app.app_data(state.clone())
            .app_data(web::Data::new(known_paths))
            .app_data(web::Data::new(query_rules))
            .app_data(web::Data::new(http::timeout::RequestTimeout(timeout)))
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, req| ApiError::NoResource(req.path().to_owned()).into()),
            )
            .route("/docs/", web::get().to(http::docs::index))
            .route("/docs/index.html", web::get().to(http::docs::index))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
            .service(web::redirect("/docs", "/docs/"))
            // Not part of the API, so registered outside the OpenAPI document.
            .route(http::edge::REFUSED_PATH, web::get().to(http::edge::refused))
            .configure(http::dashboard::routes)
            .default_service(web::to(fallback::unmatched))
            .wrap(from_fn(http::timeout::body_deadline))
            .wrap(from_fn(http::query::strict_query))
            .wrap(from_fn(http::auth::authenticate))
            .wrap(from_fn(http::middleware::admit))
            .wrap(from_fn(
                http::encoding::keep_plain_where_compression_cannot_help,
            ))
            .wrap(Compress::default())
            .wrap(from_fn(http::encoding::drop_identity_coding))
            .wrap(cors(&origins))
            .wrap(
                ErrorHandlers::new()
                    .default_handler_client(http::middleware::problem_for_plain_client_error),
            )
            .wrap(from_fn(http::middleware::respond))
    };
    let mut builder = actix_server::Server::build().shutdown_timeout(SHUTDOWN_GRACE_SECS);
    if args.workers > 0 {
        builder = builder.workers(args.workers);
    }
    let server = builder
        .listen("jixiao", listener, move || {
            let app = app().into_factory().map_err(|error| error.error_response());
            let connection = fn_service(move |io: actix_web::rt::net::TcpStream| {
                // Nagle's algorithm off: a response written in more than one piece (a
                // compressed body, then its final chunk) would otherwise hold its last piece
                // until the client acknowledged the first, and a client that delays its ACKs
                // (40 ms on Linux) would wait that long for every such response on a kept-alive
                // connection. The service writes whole responses; it has no small writes to
                // coalesce.
                if let Err(error) = io.set_nodelay(true) {
                    tracing::warn!(%error, "TCP_NODELAY could not be set on a connection");
                }
                let peer = io.peer_addr().ok();
                ready(Ok::<_, DispatchError>((
                    http::edge::Guarded::new(io, timeout),
                    peer,
                )))
            });
            connection.and_then(
                HttpService::build()
                    .keep_alive(KEEP_ALIVE)
                    // The edge keeps each head's deadline, and answers it with a problem.
                    .client_request_timeout(Duration::ZERO)
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .h1_allow_half_closed(true)
                    .local_addr(local_addr)
                    .h1(map_config(app, |()| AppConfig::default())),
            )
        })?
        .run();
    Ok(server)
}

fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::IF_MATCH,
            actix_web::http::header::IF_NONE_MATCH,
            actix_web::http::header::ACCEPT,
            http::middleware::REQUEST_ID,
        ])
        .expose_headers([
            actix_web::http::header::ETAG,
            actix_web::http::header::LOCATION,
            http::middleware::REQUEST_ID,
            actix_web::http::header::WWW_AUTHENTICATE,
        ])
        .max_age(3600)
}

/// The rulesets in `rulesets_dir`, or the built-in ones when the folder does not exist.
///
/// # Errors
/// When a file cannot be read or is not a valid ruleset, or the default is unknown.
pub fn load_rulesets(args: &RulesArgs) -> Result<Rulesets, StartupError> {
    if !args.rulesets_dir.is_dir() {
        tracing::info!(dir = %args.rulesets_dir.display(), "no rulesets folder; using the built-in rulesets");
        return Ok(Rulesets::built_in(&args.default_ruleset)?);
    }
    let files = json_files(&args.rulesets_dir)?
        .into_iter()
        .map(|path| Ok((path.display().to_string(), std::fs::read_to_string(&path)?)))
        .collect::<Result<Vec<_>, std::io::Error>>()?;
    let rulesets = Rulesets::from_files(
        files
            .iter()
            .map(|(name, text)| (name.clone(), text.as_str())),
        &args.default_ruleset,
    )?;
    tracing::info!(dir = %args.rulesets_dir.display(), count = files.len(), "rulesets loaded");
    Ok(rulesets)
}

/// The rulesets from files, with the versions published through the API where they are newer.
fn with_published(rulesets: Rulesets, db: &Database) -> Result<Rulesets, StartupError> {
    let conn = db.connection()?;
    let mut rulesets = rulesets;
    for (id, json) in storage_rulesets::latest(&conn)? {
        let published = Ruleset::parse(&json).map_err(|source| RulesetsError::File {
            file: format!("published ruleset {id}"),
            source,
        })?;
        let newer = rulesets
            .get(&published.id)
            .is_none_or(|loaded| loaded.version < published.version);
        if newer {
            tracing::info!(id = %published.id, version = published.version, "published ruleset in force");
            rulesets = rulesets.with(published);
        }
    }
    Ok(rulesets)
}

/// Creates an admin token when the database has never had one, so that a new installation
/// can be used at once; returns its secret.
fn first_admin_token(db: &Database) -> Result<Option<String>, StartupError> {
    let conn = db.connection()?;
    if tokens::count(&conn)? > 0 {
        return Ok(None);
    }
    let (token, secret) = tokens::create(&conn, Role::Admin, &[], Some("created on first start"))?;
    tracing::info!(
        token_id = token.id,
        "no token existed: an admin token was created"
    );
    Ok(Some(secret))
}

/// Stores every example form when the database is empty. They are forms published with
/// final accounts (决算公开), so they are stored as approved: anyone can read them. A file
/// naming a form an earlier file already stored is skipped.
fn load_examples(db: &Database, rulesets: &Rulesets, dir: &Path) -> Result<(), StartupError> {
    let mut conn = db.connection()?;
    if store::count(&conn)? > 0 || !dir.is_dir() {
        return Ok(());
    }
    for file in json_files(dir)? {
        let fail = |reason: String| StartupError::Example {
            file: file.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&file)?;
        let document: EvaluationDocument = parse_json(&text).map_err(|e| fail(e.to_string()))?;
        let result = evaluate(&document, rulesets)
            .map_err(|errors| fail(ApiError::InvalidDocument(errors).to_string()))?;
        let submission = Submission {
            submitted_json: &text,
            document: &document,
            result: &result,
        };
        let system = Principal::system();
        // Two files may hold one form, the second with more of it (its basic data and report):
        // the first in name order stands for the form, as a unit can store a form only once.
        let stored = match store::insert(&mut conn, &submission, &system) {
            Err(StorageError::Duplicate { detail, .. }) => {
                tracing::info!(file = %file.display(), reason = %detail, "example skipped: a fuller file of its form is loaded");
                continue;
            }
            other => other?,
        };
        let comment = Some("published with the final accounts (决算公开)");
        for step in [Transition::Submit, Transition::Approve] {
            review::transition(&mut conn, stored.id, Expected::Any, step, &system, comment)?;
        }
        tracing::info!(file = %file.display(), id = stored.id, "example loaded");
    }
    Ok(())
}

fn json_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}
