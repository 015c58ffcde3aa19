//! `nansen-vc-api`: a registrar's W3C VC API service (a subset: issue, verify a credential,
//! verify a presentation; `specs/credentials.md`, "VC API") on a loopback address, on the
//! same HTTP server stack as the node's API ([`nansen_http`]: header and body timeouts, a body
//! limit, cross-origin browser requests refused).
//!
//! The answers themselves are [`nansen_wallet::vc_api::handle`]'s, run on a blocking thread
//! (JSON-LD canonicalization is CPU work). On start it prints two lines a script can read,
//! `listening on http://ADDR` and `issuer=DID`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use axum::body::Bytes;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Parser;
use nansen_files::keyfile::{key_file_info, read_key_file, KeyFileError, KeyKind};
use nansen_files::passphrase::{passphrase_from_environment, sources_text};
use nansen_wallet::vc_api;
use zeroize::Zeroizing;

/// Variables that may hold the registrar key file's passphrase, in order (as for `nansen issue`).
const REGISTRAR_VARS: &[&str] = &["NANSEN_REGISTRAR_PASSPHRASE", "NANSEN_PASSPHRASE"];

/// Serve the W3C VC API subset for a registrar on a loopback address: POST
/// /credentials/issue, /credentials/verify and /presentations/verify. Prints
/// `listening on http://ADDR` and `issuer=DID`.
#[derive(Debug, Parser)]
#[command(name = "nansen-vc-api", version)]
struct Args {
    /// The registrar's key file (as for `nansen issue`); credentials are issued as its did:key.
    /// Its passphrase comes from NANSEN_REGISTRAR_PASSPHRASE (or NANSEN_PASSPHRASE, their
    /// _FILE forms, the systemd credential nansen-passphrase), else the terminal.
    #[arg(long, env = "NANSEN_REGISTRAR_KEY")]
    registrar_key: PathBuf,
    /// Loopback address and port (127.0.0.1:PORT or [::1]:PORT; port 0 picks one).
    #[arg(long, default_value = "127.0.0.1:8790")]
    listen: SocketAddr,
}

/// What stops the service from starting, each with what to do.
#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error("NotLoopback: --listen {0}: only a loopback address is served (127.0.0.1:PORT or [::1]:PORT); put a reverse proxy with authentication in front to serve others")]
    NotLoopback(SocketAddr),
    #[error("RegistrarKey: the registrar key file {path}: {source}")]
    RegistrarKey { path: PathBuf, source: KeyFileError },
    #[error("NoPassphrase: the registrar key file's passphrase was not given and there is no terminal to ask for it ({cause}); set {sources}")]
    NoPassphrase {
        cause: std::io::Error,
        sources: String,
    },
    #[error("PassphraseFile: {0}")]
    PassphraseFile(#[from] nansen_files::passphrase::PassphraseSourceError),
    #[error("Listen: cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("Runtime: cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl StartError {
    /// 2 for a usage error, 1 for the rest.
    fn exit_code(&self) -> u8 {
        match self {
            StartError::NotLoopback(_) => 2,
            _ => 1,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nansen-vc-api: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(args: Args) -> Result<(), StartError> {
    if !args.listen.ip().is_loopback() {
        return Err(StartError::NotLoopback(args.listen));
    }
    let seed = registrar_seed(&args.registrar_key)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|source| StartError::Listen {
                addr: args.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: args.listen,
            source,
        })?;
        println!("listening on http://{addr}");
        println!("issuer={}", nansen_wallet::did::did_key_from_seed(&seed));
        let _ = std::io::stdout().flush();
        nansen_http::serve(listener, app(seed)).await;
        Ok(())
    })
}

/// The registrar's signing seed from its key file, with the passphrase rule both binaries
/// share (`specs/key-files.md` section 3).
fn registrar_seed(path: &Path) -> Result<Zeroizing<[u8; 32]>, StartError> {
    let bad = |source: KeyFileError| StartError::RegistrarKey {
        path: path.to_owned(),
        source,
    };
    let (kind, _) = key_file_info(path).map_err(bad)?;
    if kind != KeyKind::Registrar {
        return Err(bad(KeyFileError::WrongKind {
            expected: KeyKind::Registrar.name(),
            found: kind.name(),
        }));
    }
    let passphrase = match passphrase_from_environment(REGISTRAR_VARS)? {
        Some(p) => p,
        None => rpassword::prompt_password("Registrar key passphrase: ")
            .map(Zeroizing::new)
            .map_err(|cause| StartError::NoPassphrase {
                cause,
                sources: sources_text(REGISTRAR_VARS),
            })?,
    };
    read_key_file(path, KeyKind::Registrar, &passphrase).map_err(bad)
}

/// The service: every request goes to [`vc_api::handle`] (which routes, and answers 404 and
/// 405 in the VC API's error format) behind the shared stack's limits.
fn app(seed: Zeroizing<[u8; 32]>) -> Router {
    let seed = std::sync::Arc::new(seed);
    let guard = nansen_http::Guard {
        max_body_bytes: vc_api::MAX_BODY,
        refuse: refusal,
    };
    Router::new()
        .fallback(move |method: Method, uri: Uri, body: Bytes| {
            let seed = std::sync::Arc::clone(&seed);
            async move {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                let answer = tokio::task::spawn_blocking(move || {
                    vc_api::handle(method.as_str(), uri.path(), &body, &seed, now)
                })
                .await;
                match answer {
                    Ok(answer) => json_response(answer.status, &answer.body),
                    Err(e) => refusal(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        format!("the request could not be answered: {e}"),
                    ),
                }
            }
        })
        .layer(axum::middleware::from_fn_with_state(
            guard,
            nansen_http::bounded_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            guard,
            nansen_http::same_origin,
        ))
}

fn json_response(status: u16, body: &serde_json::Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// A request the server stack refused, in the VC API's error format.
fn refusal(status: StatusCode, code: &'static str, message: String) -> Response {
    let answer = vc_api::problem(status.as_u16(), code, message);
    json_response(answer.status, &answer.body)
}
