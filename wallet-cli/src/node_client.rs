//! A very small blocking HTTP/1.1 client for a node's API (`specs/api.md`): plain `http://`
//! only (the API is meant for loopback), `GET` and `POST`, one connection per request,
//! bounded answers. No TLS, no redirects, no proxies.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Largest answer read, in bytes (an exported ledger can be large).
pub const MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// Why a call to the node failed.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The URL is not `http://host:port`.
    #[error("node URL must look like http://127.0.0.1:8480, got {0:?}")]
    BadUrl(String),
    /// Connecting or talking to the node failed.
    #[error("cannot reach the node at {0}: {1}")]
    Io(String, String),
    /// The node answered with an error status.
    #[error("the node answered {status} to {path}: {body}")]
    Status {
        /// The path asked for.
        path: String,
        /// HTTP status.
        status: u16,
        /// The answer (the API's error JSON).
        body: String,
    },
    /// The answer was not HTTP or not what the API documents.
    #[error("unexpected answer from the node: {0}")]
    Unexpected(String),
}

/// A node's API at one address.
#[derive(Debug, Clone)]
pub struct NodeClient {
    authority: String,
}

impl NodeClient {
    /// A client for `url` (`http://host:port`, an optional trailing `/`).
    pub fn new(url: &str) -> Result<Self, NodeError> {
        let authority = url
            .strip_prefix("http://")
            .map(|r| r.trim_end_matches('/'))
            .filter(|a| !a.is_empty() && !a.contains('/'))
            .ok_or_else(|| NodeError::BadUrl(url.to_owned()))?;
        Ok(NodeClient {
            authority: authority.to_owned(),
        })
    }

    /// The base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.authority)
    }

    /// `GET path`: the body of a 2xx answer.
    pub fn get(&self, path: &str) -> Result<Vec<u8>, NodeError> {
        self.request("GET", path, None)
    }

    /// `POST path` with `body` of `content_type`: the body of a 2xx answer.
    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, NodeError> {
        self.request("POST", path, Some((content_type, body)))
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
    ) -> Result<Vec<u8>, NodeError> {
        let io = |e: std::io::Error| NodeError::Io(self.authority.clone(), e.to_string());
        let addr = self
            .authority
            .to_socket_addrs()
            .map_err(io)?
            .next()
            .ok_or_else(|| NodeError::BadUrl(self.url()))?;
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(io)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(io)?;
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\nConnection: close\r\n",
            self.authority
        )
        .into_bytes();
        match body {
            Some((content_type, bytes)) => {
                request.extend_from_slice(
                    format!(
                        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                        bytes.len()
                    )
                    .as_bytes(),
                );
                request.extend_from_slice(bytes);
            }
            None => request.extend_from_slice(b"\r\n"),
        }
        stream.write_all(&request).map_err(io)?;
        let mut raw = Vec::new();
        stream
            .take(MAX_RESPONSE_BYTES + 64 * 1024)
            .read_to_end(&mut raw)
            .map_err(io)?;
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| NodeError::Unexpected("no HTTP header".into()))?;
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut body = raw[end + 4..].to_vec();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| NodeError::Unexpected("no HTTP status".into()))?;
        let chunked = lines.any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("transfer-encoding:") && l.contains("chunked")
        });
        if chunked {
            body = dechunk(&body)?;
        }
        if !(200..300).contains(&status) {
            return Err(NodeError::Status {
                path: path.to_owned(),
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
        Ok(body)
    }

    /// `GET path` as JSON, read into its type of the API contract (`nansen_wire::api`).
    pub fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, NodeError> {
        serde_json::from_slice(&self.get(path)?)
            .map_err(|e| NodeError::Unexpected(format!("{path}: {e}")))
    }
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, NodeError> {
    let bad = || NodeError::Unexpected("bad chunked encoding".into());
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let size_text = std::str::from_utf8(&data[..eol]).map_err(|_| bad())?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad())?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        // A hostile size (up to usize::MAX) must not overflow: compare without adding.
        if data.len() < 2 || data.len() - 2 < size || &data[size..size + 2] != b"\r\n" {
            return Err(bad());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_chunks() {
        assert!(NodeClient::new("http://127.0.0.1:8480/").is_ok());
        assert!(NodeClient::new("https://127.0.0.1:8480").is_err());
        assert!(NodeClient::new("http://127.0.0.1:8480/v1").is_err());
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").expect("chunks"),
            b"abcde"
        );
        // What a hostile node may send: sizes past the data or past usize, no CRLF after a
        // chunk, no end. Each is named, none panics.
        for hostile in [
            &b"ffffffffffffffff\r\nabc\r\n0\r\n\r\n"[..],
            b"fffffffffffffffe\r\n",
            b"10000000000000000\r\nabc",
            b"3\r\nabcXY0\r\n\r\n",
            b"3\r\nabc",
            b"3\r\nabc\r\n",
            b"zz\r\n",
        ] {
            assert!(dechunk(hostile).is_err(), "{hostile:?}");
        }
    }
}
