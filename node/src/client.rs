//! A small HTTP/1.1 client for the node's API, used by the `nansen-node`
//! commands (status, registrar and governance submissions, export and
//! import) and by tests. One connection per request; responses are bounded.

use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use nansen_wire::api::{EntryResult, SubmitAnswer};

/// Largest response body read, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 1 << 30;

/// How long connecting to the node may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the node may take to answer a request (its status and headers), and then to send
/// a body read whole: a batch of up to 50,000 entries is validated and made durable before the
/// answer. (The export's streamed body is read frame by frame, without this bound.)
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// Why an API call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The URL is not `http://host:port[/]`.
    #[error("API URL must look like http://127.0.0.1:8080, got {0:?}")]
    BadUrl(String),
    /// Connecting or talking to the node failed.
    #[error("cannot reach the node's API at {url}: {reason}")]
    Io {
        /// The API's URL (`http://host:port`).
        url: String,
        /// What failed.
        reason: String,
    },
    /// The node answered with an error.
    #[error("the node refused ({status}): {code}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The API's stable error code.
        code: String,
        /// The API's message.
        message: String,
        /// The whole error body (JSON), for callers that want the details.
        body: String,
    },
    /// The answer was not what the API documents.
    #[error("unexpected answer from the node: {0}")]
    Unexpected(String),
}

/// A 422 answer to a submission: every entry refused.
#[derive(Deserialize)]
struct RefusedBatch {
    results: Vec<EntryResult>,
}

async fn read_bounded(url: String, body: Incoming) -> Result<Vec<u8>, ClientError> {
    Ok(Limited::new(body, MAX_RESPONSE_BYTES)
        .collect()
        .await
        .map_err(|e| ClientError::Io {
            url,
            reason: e.to_string(),
        })?
        .to_bytes()
        .to_vec())
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

/// A client for one node's API.
#[derive(Debug, Clone)]
pub struct ApiClient {
    authority: String,
    connect_timeout: Duration,
    answer_timeout: Duration,
}

impl ApiClient {
    /// A client for the API at `url` (`http://host:port`).
    pub fn new(url: &str) -> Result<Self, ClientError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| ClientError::BadUrl(url.to_owned()))?;
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') {
            return Err(ClientError::BadUrl(url.to_owned()));
        }
        Ok(ApiClient {
            authority: authority.to_owned(),
            connect_timeout: CONNECT_TIMEOUT,
            answer_timeout: ANSWER_TIMEOUT,
        })
    }

    /// The same client with other timeouts than [`CONNECT_TIMEOUT`] and [`ANSWER_TIMEOUT`].
    pub fn with_timeouts(mut self, connect: Duration, answer: Duration) -> Self {
        self.connect_timeout = connect;
        self.answer_timeout = answer;
        self
    }

    fn timed_out(&self, what: &str, after: Duration) -> ClientError {
        ClientError::Io {
            url: self.url(),
            reason: format!("{what} timed out after {} s", after.as_secs_f64()),
        }
    }

    /// The API's base URL, `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.authority)
    }

    /// Sends one request; returns the response with its body unread.
    async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Response<Incoming>, ClientError> {
        let io = |e: &dyn std::fmt::Display| ClientError::Io {
            url: self.url(),
            reason: e.to_string(),
        };
        let stream = tokio::time::timeout(
            self.connect_timeout,
            tokio::net::TcpStream::connect(&self.authority),
        )
        .await
        .map_err(|_| self.timed_out("connecting", self.connect_timeout))?
        .map_err(|e| io(&e))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| io(&e))?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, &self.authority);
        if let Some(kind) = content_type {
            request = request.header(hyper::header::CONTENT_TYPE, kind);
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| io(&e))?;
        tokio::time::timeout(self.answer_timeout, sender.send_request(request))
            .await
            .map_err(|_| self.timed_out("waiting for the answer", self.answer_timeout))?
            .map_err(|e| io(&e))
    }

    /// Sends one request; returns status and body, whatever the status.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let response = self.send(method, path, content_type, body).await?;
        let status = response.status();
        let body = tokio::time::timeout(
            self.answer_timeout,
            read_bounded(self.url(), response.into_body()),
        )
        .await
        .map_err(|_| self.timed_out("reading the answer", self.answer_timeout))??;
        Ok((status, body))
    }

    /// `GET path`, for a body too large to hold (the export): the response
    /// of a 2xx with its body unread, to be read frame by frame.
    pub async fn get_streaming(&self, path: &str) -> Result<Response<Incoming>, ClientError> {
        let response = self.send(Method::GET, path, None, Vec::new()).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = read_bounded(self.url(), response.into_body()).await?;
        Err(Self::check(status, body)
            .err()
            .unwrap_or_else(|| ClientError::Unexpected(format!("status {status}"))))
    }

    fn check(status: StatusCode, body: Vec<u8>) -> Result<Vec<u8>, ClientError> {
        if status.is_success() {
            return Ok(body);
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(e) => (e.code, e.message),
            Err(_) => ("http_error".to_owned(), text.clone()),
        };
        Err(ClientError::Api {
            status: status.as_u16(),
            code,
            message,
            body: text,
        })
    }

    /// `GET path`; the body of a 2xx answer.
    pub async fn get(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        let (status, body) = self.call(Method::GET, path, None, Vec::new()).await?;
        Self::check(status, body)
    }

    /// `GET path` as JSON.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let body = self.get(path).await?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Unexpected(e.to_string()))
    }

    /// `method path` with no body; the JSON answer of a 2xx (`POST` and
    /// `DELETE` of `/v1/peers/{peer id}/ban`).
    pub async fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
    ) -> Result<T, ClientError> {
        let (status, body) = self.call(method, path, None, Vec::new()).await?;
        let body = Self::check(status, body)?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Unexpected(e.to_string()))
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; what
    /// happened to each, whether the node answered 2xx or 422 (every entry
    /// refused).
    pub async fn submit_batch(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let (status, body) = self
            .call(
                Method::POST,
                "/v1/entries",
                Some("application/cbor-seq"),
                entries.concat(),
            )
            .await?;
        let unexpected = |e: serde_json::Error| ClientError::Unexpected(e.to_string());
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            let refused: RefusedBatch = serde_json::from_slice(&body).map_err(unexpected)?;
            return Ok(SubmitAnswer {
                accepted: 0,
                results: refused.results,
            });
        }
        let body = Self::check(status, body)?;
        serde_json::from_slice(&body).map_err(unexpected)
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; the answer of a 2xx (a 422,
    /// every entry refused, is [`ClientError::Api`]; see [`ApiClient::submit_batch`]).
    pub async fn submit(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let (status, body) = self
            .call(
                Method::POST,
                "/v1/entries",
                Some("application/cbor-seq"),
                entries.concat(),
            )
            .await?;
        let body = Self::check(status, body)?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Unexpected(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_node_that_never_answers_is_named_after_the_timeout() {
        // Accepts connections and reads nothing back: a hung or hostile node.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let silent = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let client = ApiClient::new(&format!("http://{addr}"))
            .expect("url")
            .with_timeouts(Duration::from_secs(5), Duration::from_millis(300));
        let err = client.get("/v1/info").await.expect_err("no answer");
        match err {
            ClientError::Io { reason, .. } => {
                assert!(reason.contains("timed out"), "{reason}")
            }
            other => panic!("{other}"),
        }
        silent.abort();
    }
}
