//! `nansen-vc-api`: a registrar's W3C VC API service (a subset: issue, verify a credential,
//! verify a presentation; `specs/credentials.md`, "VC API") on a loopback address, on the
//! same HTTP server stack as the node's API ([`nansen_http`]: header and body timeouts, a body
//! limit, cross-origin browser requests refused).
//!
//! The answers themselves are [`nansen_wallet::vc_api::handle`]'s, run on a blocking thread
//! (JSON-LD canonicalization is CPU work). On start it prints two lines a script can read,
//! `listening on http://ADDR` and `issuer=DID` (machine lines, in every language). Its help
//! and its errors are in English, French or Arabic ([`nansen_vc_api::i18n`], the
//! `nansen-i18n` rules); its command line is [`nansen_vc_api::cli::Args`].

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use axum::body::Bytes;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::{CommandFactory as _, FromArgMatches as _};
use nansen_files::keyfile::{key_file_info, read_key_file, KeyFileError, KeyKind};
use nansen_files::passphrase::{passphrase_from_environment, sources_text};
use nansen_i18n::io_error;
use nansen_vc_api::cli::Args;
use nansen_vc_api::i18n::{tr, Lang, HELP, PROGRAM};
use nansen_wallet::vc_api;
use zeroize::Zeroizing;

/// Variables that may hold the registrar key file's passphrase, in order (as for `nansen issue`).
const REGISTRAR_VARS: &[&str] = &["NANSEN_REGISTRAR_PASSPHRASE", "NANSEN_PASSPHRASE"];

/// What stops the service from starting, each with what to do.
#[derive(Debug)]
enum StartError {
    NotLoopback(SocketAddr),
    RegistrarKey {
        path: PathBuf,
        source: KeyFileError,
    },
    NoPassphrase {
        cause: std::io::Error,
        sources: String,
    },
    PassphraseFile(nansen_files::passphrase::PassphraseSourceError),
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    Runtime(std::io::Error),
}

impl From<nansen_files::passphrase::PassphraseSourceError> for StartError {
    fn from(e: nansen_files::passphrase::PassphraseSourceError) -> Self {
        StartError::PassphraseFile(e)
    }
}

impl StartError {
    /// 2 for a usage error, 1 for the rest.
    fn exit_code(&self) -> u8 {
        match self {
            StartError::NotLoopback(_) => 2,
            _ => 1,
        }
    }

    /// The error in `lang`: its name (a stable code), what happened and what to do. The
    /// causes from the system or the key file stay as they were given.
    fn message(&self, lang: Lang) -> String {
        match self {
            StartError::NotLoopback(addr) => tr(lang, "not-loopback", &[&addr.to_string()]),
            StartError::RegistrarKey { path, source } => tr(
                lang,
                "registrar-key",
                &[&path.display().to_string(), &source.message(lang)],
            ),
            StartError::NoPassphrase { cause, sources } => {
                tr(lang, "no-passphrase", &[&io_error(lang, cause), sources])
            }
            StartError::PassphraseFile(e) => {
                use nansen_files::passphrase::PassphraseSourceError as P;
                let text = match e {
                    P::Unreadable { path, source } => tr(
                        lang,
                        "passphrase-file-unreadable",
                        &[&path.display().to_string(), &io_error(lang, source)],
                    ),
                    other => other.to_string(),
                };
                tr(lang, "passphrase-file", &[&text])
            }
            StartError::Listen { addr, source } => tr(
                lang,
                "listen",
                &[&addr.to_string(), &io_error(lang, source)],
            ),
            StartError::Runtime(e) => tr(lang, "runtime", &[&io_error(lang, e)]),
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lossy: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let help_lang = Lang::of_args(PROGRAM, &lossy);
    let parsed = nansen_i18n::help::localize(Args::command(), help_lang, HELP)
        .try_get_matches_from(args)
        .and_then(|m| Args::from_arg_matches(&m));
    let args = match parsed {
        Ok(args) => args,
        Err(e) => return ExitCode::from(nansen_i18n::help::report_usage_error(&e, help_lang)),
    };
    let lang = Lang::choose(PROGRAM, args.lang.as_deref());
    match run(args, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", tr(lang, "error", &[&e.message(lang)]));
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(args: Args, lang: Lang) -> Result<(), StartError> {
    if !args.listen.ip().is_loopback() {
        return Err(StartError::NotLoopback(args.listen));
    }
    let seed = registrar_seed(&args.registrar_key, lang)?;
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
fn registrar_seed(path: &Path, lang: Lang) -> Result<Zeroizing<[u8; 32]>, StartError> {
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
        None => rpassword::prompt_password(tr(lang, "passphrase-prompt", &[]))
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
