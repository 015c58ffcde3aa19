//! The HTTP/1.1 server under Nansen's HTTP services (the node's API, the
//! VC API of `nansen-vc-api`), and the limits every request meets before a
//! handler sees it (stated in `specs/api.md`, "Limits"):
//!
//! - a connection must deliver a request's headers within
//!   [`HEADER_READ_TIMEOUT`] (also while idle between requests), or it is
//!   closed;
//! - a request's body must arrive whole within [`BODY_READ_TIMEOUT`], or the
//!   answer is 408 `body_timeout` and the connection is closed; a body
//!   announced (`Content-Length`) or found longer than the service's
//!   [`Guard::max_body_bytes`] is 413 `body_too_large` at once, before
//!   any of it is read; a connection closed after such an answer first
//!   reads and discards what the client still sends, for a bounded time, so
//!   that the client receives the answer ([`LINGER_TOTAL`], [`LINGER_IDLE`]);
//! - a request that changes something (any method but `GET` and `HEAD`)
//!   coming from a web page of another origin is 403 `cross_origin`: the
//!   API has no authentication, so a page open in the operator's browser
//!   must not be able to ban peers, submit entries or have credentials
//!   signed through it.
//!
//! Each service words its refusals in its own error format ([`Guard::refuse`]).

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};

/// What a service's middleware needs: its body limit and how it words a
/// refusal (status, stable code, message) in its own error format.
#[derive(Clone, Copy)]
pub struct Guard {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The service's answer for a refused request.
    pub refuse: fn(StatusCode, &'static str, String) -> Response,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// Time a client has to send a request's headers (from the connection's
/// opening, or from the end of the previous answer on a kept-alive one).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a client has to send a request's whole body, from the end of its
/// headers.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until the task is dropped: one task per
/// connection, HTTP/1.1 with keep-alive, the header timeout, an answer
/// still written to a client that closed its sending side, and each
/// request carrying its peer's address (`ConnectInfo<SocketAddr>`).
pub async fn serve(listener: TcpListener, app: Router) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait, do not spin.
                tracing::warn!(error = %e, "API accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let router = TowerToHyperService::new(app.clone());
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            Box::pin(router.call(request))
        });
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .keep_alive(true)
                // A client that ends its side after sending the request (`nc -N`, some
                // scripts) still gets the answer.
                .half_close(true);
            let connection = builder
                .serve_connection(TokioIo::new(stream), service)
                .without_shutdown();
            match connection.await {
                Ok(parts) => linger(parts.io.into_inner()).await,
                Err(e) => tracing::debug!(error = %e, %peer, "API connection ended"),
            }
        });
    }
}

/// Longest a closing connection keeps reading what the client still sends.
pub const LINGER_TOTAL: Duration = Duration::from_secs(10);
/// A closing connection whose client sends nothing for this long is closed.
pub const LINGER_IDLE: Duration = Duration::from_secs(2);

/// Closes a connection the way that lets a client still sending a body
/// read an answer given before the body was read (413, 408): end our side
/// first, then read and discard what the client sends until it closes, is
/// idle for [`LINGER_IDLE`] or [`LINGER_TOTAL`] passed (a "lingering
/// close"). Closing at once with unread data would reset the connection
/// and the client would lose the answer.
async fn linger(mut stream: TcpStream) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    if stream.shutdown().await.is_err() {
        return;
    }
    let deadline = tokio::time::Instant::now() + LINGER_TOTAL;
    let mut discard = vec![0u8; 64 * 1024];
    while tokio::time::Instant::now() < deadline {
        match tokio::time::timeout(LINGER_IDLE, stream.read(&mut discard)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return,
            Ok(Ok(_)) => {}
        }
    }
}

/// The address a request came from, if the server recorded it.
pub fn peer_of(request: &Request) -> Option<SocketAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
}

fn refuse(guard: &Guard, status: StatusCode, code: &'static str, message: String) -> Response {
    let mut response = (guard.refuse)(status, code, message);
    // The rest of the body is not read: the connection cannot be reused.
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

/// Middleware (`axum::middleware::from_fn_with_state(guard, bounded_body)`):
/// reads the request body whole, within [`BODY_READ_TIMEOUT`] and
/// [`Guard::max_body_bytes`], before the handler runs.
pub async fn bounded_body(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let max = guard.max_body_bytes;
    let peer = peer_of(&request);
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > max as u64) {
        return refuse(
            &guard,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body would exceed the limit of {max} bytes"),
        );
    }
    if announced == Some(0) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_READ_TIMEOUT, Limited::new(body, max).collect()).await;
    let bytes = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return refuse(
                &guard,
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the body exceeds the limit of {max} bytes"),
            )
        }
        Ok(Err(e)) => {
            return refuse(
                &guard,
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("the body could not be read: {e}"),
            )
        }
        Err(_) => {
            tracing::info!(?peer, "request body too slow; connection closed");
            return refuse(
                &guard,
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the body did not arrive within {} s",
                    BODY_READ_TIMEOUT.as_secs()
                ),
            );
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether a request that changes something may come from where its
/// headers say it comes from: refused when a browser says it was made by a
/// page of another origin (`Origin` not this API's own, or
/// `Sec-Fetch-Site` `cross-site` / `same-site`).
fn cross_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        if site != "same-origin" && site != "none" {
            return Some(format!("Sec-Fetch-Site: {site}"));
        }
    }
    let origin = headers.get(header::ORIGIN)?;
    let origin = origin.to_str().unwrap_or("");
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if origin == format!("http://{host}") && names_this_machine(host) {
        return None;
    }
    Some(format!("Origin: {origin}"))
}

/// Whether a `Host` header names this machine by address or as
/// `localhost`, not by a DNS name (which a hostile page could point at
/// 127.0.0.1: DNS rebinding).
fn names_this_machine(host: &str) -> bool {
    if let Ok(addr) = host.parse::<SocketAddr>() {
        return !addr.ip().is_unspecified();
    }
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    name.eq_ignore_ascii_case("localhost")
}

/// Middleware (`axum::middleware::from_fn_with_state(guard, same_origin)`):
/// refuses with 403 `cross_origin` a request other than `GET` or `HEAD`
/// made by a web page of another origin.
pub async fn same_origin(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let reads_only = matches!(*request.method(), Method::GET | Method::HEAD);
    if !reads_only {
        if let Some(said) = cross_origin(request.headers()) {
            return refuse(
                &guard,
                StatusCode::FORBIDDEN,
                "cross_origin",
                format!(
                    "a web page of another origin may not change anything through this API ({said})"
                ),
            );
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn only_pages_of_the_api_itself_may_change_things() {
        let host = ("host", "127.0.0.1:8480");
        assert_eq!(cross_origin(&headers(&[host])), None, "no browser");
        assert_eq!(
            cross_origin(&headers(&[host, ("origin", "http://127.0.0.1:8480")])),
            None
        );
        assert_eq!(
            cross_origin(&headers(&[
                ("host", "localhost:8480"),
                ("origin", "http://localhost:8480")
            ])),
            None
        );
        for bad in [
            vec![host, ("origin", "http://evil.example")],
            vec![host, ("origin", "null")],
            vec![host, ("origin", "http://127.0.0.1:9999")],
            vec![host, ("sec-fetch-site", "cross-site")],
            // DNS rebinding: a hostile name pointed at 127.0.0.1.
            vec![
                ("host", "evil.example:8480"),
                ("origin", "http://evil.example:8480"),
            ],
        ] {
            assert!(cross_origin(&headers(&bad)).is_some(), "{bad:?}");
        }
    }
}
