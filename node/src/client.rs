//! The node's API as `nansen-node`'s commands and the tests call it from async code: the
//! project's one HTTP client ([`nansen_client`]: timeouts, bounded answers, the API's types),
//! each call on a blocking thread of the runtime.

use std::future::Future;
use std::time::Duration;

use hyper::{Method, StatusCode};
use nansen_wire::api::SubmitAnswer;
use serde::de::DeserializeOwned;

pub use nansen_client::{ClientError, Stream, ANSWER_TIMEOUT, CONNECT_TIMEOUT, MAX_RESPONSE_BYTES};

/// A client for one node's API.
#[derive(Debug, Clone)]
pub struct ApiClient {
    inner: nansen_client::NodeClient,
}

/// Runs one blocking call of the client off the async threads.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, ClientError> + Send + 'static,
) -> Result<T, ClientError> {
    tokio::task::spawn_blocking(call).await.unwrap_or_else(|e| {
        Err(ClientError::Unexpected {
            path: String::new(),
            reason: format!("the call's thread failed: {e}"),
        })
    })
}

impl ApiClient {
    /// A client for the API at `url` (`http://host:port`).
    pub fn new(url: &str) -> Result<Self, ClientError> {
        Ok(ApiClient {
            inner: nansen_client::NodeClient::new(url)?,
        })
    }

    /// The same client with other timeouts than [`CONNECT_TIMEOUT`] and [`ANSWER_TIMEOUT`].
    pub fn with_timeouts(self, connect: Duration, answer: Duration) -> Self {
        ApiClient {
            inner: self.inner.with_timeouts(connect, answer),
        }
    }

    /// The API's base URL, `http://host:port`.
    pub fn url(&self) -> String {
        self.inner.url()
    }

    /// The blocking client, for code that runs on a blocking thread already.
    pub fn blocking(&self) -> &nansen_client::NodeClient {
        &self.inner
    }

    fn with<T: Send + 'static>(
        &self,
        call: impl FnOnce(&nansen_client::NodeClient) -> Result<T, ClientError> + Send + 'static,
    ) -> impl Future<Output = Result<T, ClientError>> {
        let inner = self.inner.clone();
        blocking(move || call(&inner))
    }

    /// Sends one request; returns status and body, whatever the status.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let (path, kind) = (path.to_owned(), content_type.map(str::to_owned));
        let (status, body) = self
            .with(move |c| c.call(method, &path, kind.as_deref(), &body))
            .await?;
        let status = StatusCode::from_u16(status).map_err(|e| ClientError::Unexpected {
            path: String::new(),
            reason: e.to_string(),
        })?;
        Ok((status, body))
    }

    /// `GET path` for an answer too large to hold (the export): a 2xx answer's body as a
    /// blocking reader (read it on a blocking thread).
    pub async fn get_stream(&self, path: &str) -> Result<Stream, ClientError> {
        let path = path.to_owned();
        self.with(move |c| c.get_stream(&path)).await
    }

    /// `GET path`; the body of a 2xx answer.
    pub async fn get(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        let path = path.to_owned();
        self.with(move |c| c.get(&path)).await
    }

    /// `GET path`, read into its type of the API contract (`nansen_wire::api`).
    pub async fn get_json<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
    ) -> Result<T, ClientError> {
        let path = path.to_owned();
        self.with(move |c| c.get_json(&path)).await
    }

    /// `method path` with no body; the JSON answer of a 2xx (`POST` and
    /// `DELETE` of `/v1/peers/{peer id}/ban`).
    pub async fn call_json<T: DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        path: &str,
    ) -> Result<T, ClientError> {
        let path = path.to_owned();
        self.with(move |c| c.call_json(method, &path)).await
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; what
    /// happened to each, whether the node answered 2xx or 422 (every entry
    /// refused).
    pub async fn submit_batch(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let entries = entries.to_vec();
        self.with(move |c| c.submit_batch(&entries)).await
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; the answer of a 2xx (a 422,
    /// every entry refused, is [`ClientError::Api`]; see [`ApiClient::submit_batch`]).
    pub async fn submit(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let entries = entries.to_vec();
        self.with(move |c| c.submit(&entries)).await
    }
}
