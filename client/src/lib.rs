//! The one HTTP client for a Nansen node's API (`specs/api.md`), used by `nansen-node`'s
//! commands, the `nansen` wallet and verifier, the tests and the examples.
//!
//! Plain `http://host:port` only (the API binds to loopback; exposed further, it belongs behind
//! something that adds TLS and authentication). Every call has a connect timeout and an answer
//! timeout, and an answer read whole is bounded; redirects are not followed. Answers are read
//! into the types of [`nansen_wire::api`], the same ones the node answers with. Built on
//! `ureq` (blocking); the node's async code calls it from a blocking thread.

use std::io::Read;
use std::time::Duration;

use nansen_wire::api::{ErrorBody, SubmitAnswer};
use serde::de::DeserializeOwned;

/// Largest answer read whole, in bytes (an export is streamed instead, see
/// [`NodeClient::get_stream`]).
pub const MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// How long connecting to the node may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the node may take to answer a request (its status and headers), and then to send
/// a body read whole: a batch of up to 50,000 entries is validated and made durable before the
/// answer. (A streamed body is read without this bound.)
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// What a [`ClientError`] says to a person, in English, French and Arabic (the `nansen-i18n`
/// rules): (key, English, French, Arabic). `nansen-node` and `nansen` both print it.
pub const CATALOGUE: &nansen_i18n::Catalogue = &[
    (
        "client-bad-url",
        "a node's URL looks like http://127.0.0.1:8480, got {0}",
        "l'URL d'un nœud ressemble à http://127.0.0.1:8480, reçu {0}",
        "يبدو عنوان العقدة هكذا http://127.0.0.1:8480، لكن وصل {0}",
    ),
    (
        "client-unreachable",
        "cannot reach the node's API at {0}: {1}",
        "impossible de joindre l'API du nœud à {0} : {1}",
        "تعذّر الوصول إلى واجهة العقدة على {0}: {1}",
    ),
    (
        "client-timed-out",
        "the node's API at {0} did not answer: {1} timed out after {2} s",
        "l'API du nœud à {0} n'a pas répondu : {1} a dépassé {2} s",
        "لم تُجب واجهة العقدة على {0}: انتهت مهلة {1} بعد {2} ث",
    ),
    (
        "client-refused",
        "the node refused {0} ({1}): {2}: {3}",
        "le nœud a refusé {0} ({1}) : {2} : {3}",
        "رفضت العقدة {0} ({1}): {2}: {3}",
    ),
    (
        "client-unexpected",
        "unexpected answer from the node to {0}: {1}",
        "réponse inattendue du nœud à {0} : {1}",
        "إجابة غير متوقعة من العقدة على {0}: {1}",
    ),
    ("what-connecting", "connecting", "la connexion", "الاتصال"),
    (
        "what-sending",
        "sending the request",
        "l'envoi de la requête",
        "إرسال الطلب",
    ),
    (
        "what-waiting",
        "waiting for the answer",
        "l'attente de la réponse",
        "انتظار الإجابة",
    ),
    (
        "what-reading",
        "reading the answer",
        "la lecture de la réponse",
        "قراءة الإجابة",
    ),
];

impl ClientError {
    /// The error in `lang`: a refused connection or an unreachable host told by its kind
    /// ([`nansen_i18n::io_error`]), what timed out in the language; the node's own answer (its
    /// error code and message, for programs) and what a bad answer was stay as they are.
    pub fn message(&self, lang: nansen_i18n::Lang) -> String {
        let t = |key: &str, args: &[&str]| nansen_i18n::tr(CATALOGUE, lang, key, args);
        match self {
            ClientError::BadUrl(url) => t("client-bad-url", &[&format!("{url:?}")]),
            ClientError::Unreachable { url, reason, io } => {
                let why = match io {
                    Some(e) => nansen_i18n::io_error(lang, e),
                    None => reason.clone(),
                };
                t("client-unreachable", &[url, &why])
            }
            ClientError::TimedOut { url, what, seconds } => {
                let what = match *what {
                    CONNECTING => t("what-connecting", &[]),
                    SENDING => t("what-sending", &[]),
                    READING => t("what-reading", &[]),
                    WAITING => t("what-waiting", &[]),
                    other => other.to_owned(),
                };
                t("client-timed-out", &[url, &what, &seconds.to_string()])
            }
            ClientError::Api {
                path,
                status,
                code,
                message,
                ..
            } => t(
                "client-refused",
                &[path, &status.to_string(), code, message],
            ),
            ClientError::Unexpected { path, reason } => t("client-unexpected", &[path, reason]),
        }
    }
}

/// What timed out ([`ClientError::TimedOut`]'s `what`), each told in the language by
/// [`ClientError::message`].
const CONNECTING: &str = "connecting";
const SENDING: &str = "sending the request";
const READING: &str = "reading the answer";
const WAITING: &str = "waiting for the answer";

/// Why a call to the node failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The URL is not `http://host:port`.
    #[error("a node's URL looks like http://127.0.0.1:8480, got {0:?}")]
    BadUrl(String),
    /// Connecting or talking to the node failed.
    #[error("cannot reach the node's API at {url}: {reason}")]
    Unreachable {
        /// The API's URL (`http://host:port`).
        url: String,
        /// What failed.
        reason: String,
        /// The system's error under it (a refused connection, an unreachable host), when
        /// there is one: for a message in another language than `reason`'s English.
        io: Option<std::io::Error>,
    },
    /// The node did not answer in time.
    #[error("the node's API at {url} did not answer: {what} timed out after {seconds} s")]
    TimedOut {
        /// The API's URL.
        url: String,
        /// What took too long (connecting, waiting for the answer, reading it).
        what: &'static str,
        /// The bound, in seconds.
        seconds: u64,
    },
    /// The node answered with an error.
    #[error("the node refused {path} ({status}): {code}: {message}")]
    Api {
        /// The path asked for.
        path: String,
        /// HTTP status.
        status: u16,
        /// The API's stable error code (`http_error` when the answer was not the API's).
        code: String,
        /// The API's message.
        message: String,
        /// The whole error body, for callers that want the details.
        body: String,
    },
    /// The answer was not what the API documents.
    #[error("unexpected answer from the node to {path}: {reason}")]
    Unexpected {
        /// The path asked for.
        path: String,
        /// What was wrong.
        reason: String,
    },
}

/// An HTTP method (the `http` crate's, as hyper and axum use it).
pub use ureq::http::Method;

/// A streamed answer: its announced entry count (export) and its body as a reader.
pub struct Stream {
    /// The `nansen-export-entries` header, when the node sent it.
    pub announced_entries: Option<u64>,
    /// The body, read as it arrives (no size bound: the caller frames it).
    pub body: Box<dyn Read + Send>,
}

/// A client for one node's API.
#[derive(Debug, Clone)]
pub struct NodeClient {
    authority: String,
    connect_timeout: Duration,
    answer_timeout: Duration,
    agent: ureq::Agent,
}

impl NodeClient {
    /// A client for `url` (`http://host:port`, an optional trailing `/`).
    pub fn new(url: &str) -> Result<Self, ClientError> {
        let authority = url
            .strip_prefix("http://")
            .map(|rest| rest.trim_end_matches('/'))
            .filter(|a| !a.is_empty() && !a.contains(['/', '?', '#', '@']))
            .ok_or_else(|| ClientError::BadUrl(url.to_owned()))?;
        Ok(Self::build(
            authority.to_owned(),
            CONNECT_TIMEOUT,
            ANSWER_TIMEOUT,
        ))
    }

    fn build(authority: String, connect: Duration, answer: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("nansen/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(connect))
            .timeout_send_request(Some(answer))
            .timeout_send_body(Some(answer))
            .timeout_recv_response(Some(answer))
            .timeout_recv_body(Some(answer))
            .build()
            .into();
        NodeClient {
            authority,
            connect_timeout: connect,
            answer_timeout: answer,
            agent,
        }
    }

    /// The same client with other timeouts than [`CONNECT_TIMEOUT`] and [`ANSWER_TIMEOUT`].
    pub fn with_timeouts(self, connect: Duration, answer: Duration) -> Self {
        Self::build(self.authority, connect, answer)
    }

    /// The API's base URL, `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.authority)
    }

    fn failed(&self, path: &str, e: ureq::Error) -> ClientError {
        match e {
            ureq::Error::Timeout(which) => {
                let (what, bound) = match which {
                    ureq::Timeout::Connect | ureq::Timeout::Resolve => {
                        (CONNECTING, self.connect_timeout)
                    }
                    ureq::Timeout::RecvBody => (READING, self.answer_timeout),
                    ureq::Timeout::SendRequest | ureq::Timeout::SendBody => {
                        (SENDING, self.answer_timeout)
                    }
                    _ => (WAITING, self.answer_timeout),
                };
                ClientError::TimedOut {
                    url: self.url(),
                    what,
                    seconds: bound.as_secs(),
                }
            }
            ureq::Error::BodyExceedsLimit(limit) => ClientError::Unexpected {
                path: path.to_owned(),
                reason: format!("an answer over {limit} bytes"),
            },
            ureq::Error::Http(e) => ClientError::Unexpected {
                path: path.to_owned(),
                reason: e.to_string(),
            },
            ureq::Error::Io(e) => ClientError::Unreachable {
                url: self.url(),
                reason: format!("io: {e}"),
                io: Some(e),
            },
            other => ClientError::Unreachable {
                url: self.url(),
                reason: other.to_string(),
                io: None,
            },
        }
    }

    fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<ureq::http::Response<ureq::Body>, ClientError> {
        let mut request = ureq::http::Request::builder()
            .method(method.clone())
            .uri(format!("http://{}{path}", self.authority));
        if let Some(kind) = content_type {
            request = request.header("Content-Type", kind);
        }
        let bad = |e: ureq::http::Error| ClientError::Unexpected {
            path: path.to_owned(),
            reason: e.to_string(),
        };
        // A request without a body sends none (no `Content-Length: 0` on a GET); `POST` and
        // `PUT` always announce their length.
        let sent = if body.is_empty() && method != Method::POST && method != Method::PUT {
            self.agent.run(request.body(()).map_err(bad)?)
        } else {
            self.agent.run(request.body(body).map_err(bad)?)
        };
        sent.map_err(|e| self.failed(path, e))
    }

    /// Sends one request; returns the status and the body read whole (bounded by
    /// [`MAX_RESPONSE_BYTES`]), whatever the status.
    pub fn call(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), ClientError> {
        let mut response = self.send(method, path, content_type, body)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| self.failed(path, e))?;
        Ok((status, body))
    }

    /// The body of a 2xx answer; any other status is [`ClientError::Api`].
    fn check(path: &str, status: u16, body: Vec<u8>) -> Result<Vec<u8>, ClientError> {
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(e) => (e.code, e.message),
            Err(_) => ("http_error".to_owned(), text.clone()),
        };
        Err(ClientError::Api {
            path: path.to_owned(),
            status,
            code,
            message,
            body: text,
        })
    }

    fn json<T: DeserializeOwned>(path: &str, body: &[u8]) -> Result<T, ClientError> {
        serde_json::from_slice(body).map_err(|e| ClientError::Unexpected {
            path: path.to_owned(),
            reason: e.to_string(),
        })
    }

    /// `GET path`: the body of a 2xx answer.
    pub fn get(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        let (status, body) = self.call(Method::GET, path, None, &[])?;
        Self::check(path, status, body)
    }

    /// `GET path`, read into its type of the API contract (`nansen_wire::api`).
    pub fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        Self::json(path, &self.get(path)?)
    }

    /// `POST path` with `body` of `content_type`: the body of a 2xx answer.
    pub fn post(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Vec<u8>, ClientError> {
        let (status, answer) = self.call(Method::POST, path, Some(content_type), body)?;
        Self::check(path, status, answer)
    }

    /// `method path` with no body; the JSON answer of a 2xx (`POST` and `DELETE` of
    /// `/v1/peers/{peer id}/ban`).
    pub fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
    ) -> Result<T, ClientError> {
        let (status, body) = self.call(method, path, None, &[])?;
        Self::json(path, &Self::check(path, status, body)?)
    }

    /// `GET path` for an answer too large to hold (the export): a 2xx answer's body as a
    /// reader, without the answer timeout on the body.
    pub fn get_stream(&self, path: &str) -> Result<Stream, ClientError> {
        let url = format!("http://{}{path}", self.authority);
        let response = self
            .agent
            .get(&url)
            .config()
            .timeout_recv_body(None)
            .build()
            .call()
            .map_err(|e| self.failed(path, e))?;
        let status = response.status().as_u16();
        let announced_entries = response
            .headers()
            .get("nansen-export-entries")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = response.into_body();
        if !(200..300).contains(&status) {
            let body = body
                .into_with_config()
                .limit(1 << 20)
                .read_to_vec()
                .map_err(|e| self.failed(path, e))?;
            return Err(Self::check(path, status, body).err().unwrap_or_else(|| {
                ClientError::Unexpected {
                    path: path.to_owned(),
                    reason: format!("status {status}"),
                }
            }));
        }
        Ok(Stream {
            announced_entries,
            body: Box::new(body.into_reader()),
        })
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; the answer of a 2xx (a 422,
    /// every entry refused, is [`ClientError::Api`]; see [`NodeClient::submit_batch`]).
    pub fn submit(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let path = "/v1/entries";
        let body = self.post(path, "application/cbor-seq", &entries.concat())?;
        Self::json(path, &body)
    }

    /// `POST /v1/entries` with a CBOR sequence of signed entries; what happened to each,
    /// whether the node answered 2xx or 422 (every entry refused: the error's `results`).
    pub fn submit_batch(&self, entries: &[Vec<u8>]) -> Result<SubmitAnswer, ClientError> {
        let path = "/v1/entries";
        let (status, body) = self.call(
            Method::POST,
            path,
            Some("application/cbor-seq"),
            &entries.concat(),
        )?;
        if status == 422 {
            let refused: ErrorBody = Self::json(path, &body)?;
            return Ok(SubmitAnswer {
                accepted: 0,
                results: refused.results.unwrap_or_default(),
            });
        }
        Self::json(path, &Self::check(path, status, body)?)
    }
}

#[cfg(test)]
mod tests {
    use nansen_i18n::Lang;

    #[test]
    fn every_message_in_three_languages_and_the_system_s_words_translated() {
        let problems = nansen_i18n::problems(CATALOGUE);
        assert!(problems.is_empty(), "{problems:#?}");
        let refused = ClientError::Unreachable {
            url: "http://127.0.0.1:1".into(),
            reason: "io: Connection refused (os error 111)".into(),
            io: Some(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        };
        let fr = refused.message(Lang::Fr);
        assert_eq!(
            fr,
            "impossible de joindre l'API du nœud à http://127.0.0.1:1 : connexion refusée (rien \
             n'écoute à cette adresse)"
        );
        for what in [CONNECTING, SENDING, READING, WAITING] {
            let late = ClientError::TimedOut {
                url: "http://127.0.0.1:1".into(),
                what,
                seconds: 10,
            };
            let fr = late.message(Lang::Fr);
            assert!(!fr.contains(what), "{fr}");
            assert!(late.message(Lang::En).contains(what));
        }
    }

    use super::*;
    use std::io::Write as _;
    use std::net::TcpListener;

    #[test]
    fn only_plain_http_urls_of_a_host_and_port_are_taken() {
        for bad in [
            "https://127.0.0.1:8480",
            "127.0.0.1:8480",
            "http://",
            "http://host/path",
            "http://user@host:1",
        ] {
            assert!(
                matches!(NodeClient::new(bad), Err(ClientError::BadUrl(_))),
                "{bad}"
            );
        }
        let client = NodeClient::new("http://127.0.0.1:8480/").expect("valid");
        assert_eq!(client.url(), "http://127.0.0.1:8480");
    }

    #[test]
    fn a_node_that_never_answers_is_named_after_the_timeout() {
        // Accepts connections and never writes: a hung or hostile node.
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let hold = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
        let client = NodeClient::new(&format!("http://{address}"))
            .expect("url")
            .with_timeouts(Duration::from_secs(5), Duration::from_millis(300));
        let err = client.get("/v1/info").expect_err("no answer");
        assert!(
            matches!(err, ClientError::TimedOut { .. }),
            "{err:?}: {err}"
        );
        assert!(err.to_string().contains(&address.to_string()), "{err}");
        drop(hold);
    }

    #[test]
    fn a_hostile_chunk_size_is_a_named_error_not_a_panic() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let serve = std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab",
                );
            }
        });
        let client = NodeClient::new(&format!("http://{address}")).expect("url");
        let err = client.get("/v1/info").expect_err("a broken answer");
        assert!(
            matches!(
                err,
                ClientError::Unreachable { .. } | ClientError::Unexpected { .. }
            ),
            "{err:?}"
        );
        let _ = serve.join();
    }

    #[test]
    fn an_error_answer_carries_the_api_code() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let serve = std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let body = br#"{"code":"unknown_chain","message":"no chain by x"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(body);
            }
        });
        let client = NodeClient::new(&format!("http://{address}")).expect("url");
        match client.get("/v1/chains/x/checkpoint") {
            Err(ClientError::Api { status, code, .. }) => {
                assert_eq!((status, code.as_str()), (404, "unknown_chain"))
            }
            other => panic!("{other:?}"),
        }
        let _ = serve.join();
    }
}
