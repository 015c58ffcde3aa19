//! Framing of sync messages on a libp2p stream, and the request-response
//! [`Codec`] that uses it.
//!
//! One stream carries one request frame from the requester, then one
//! response frame from the responder. A frame is a 4-byte big-endian
//! unsigned length followed by that many bytes of one canonical message
//! ([`crate::sync::wire`]). A length above the bound for its kind is refused
//! before anything is read or allocated; the payload is read incrementally,
//! so memory grows only with bytes that actually arrived.
//!
//! An invalid inbound request is not an I/O error here but a value,
//! `Err(WireError)`: libp2p's request-response behaviour only logs a failed
//! request read, and the event loop must see it to ban the sender.

use std::io;

use libp2p::futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::request_response::Codec;
use libp2p::StreamProtocol;

use crate::sync::wire::{
    MessageKind, SyncRequest, SyncResponse, WireError, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES,
};

/// The sync protocol's name.
pub const SYNC_PROTOCOL: StreamProtocol = StreamProtocol::new("/nansen/sync/1");

/// Size bounds the codec enforces, on both reading and writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireLimits {
    /// Largest request payload, in bytes.
    pub max_request_bytes: usize,
    /// Largest response payload, in bytes.
    pub max_response_bytes: usize,
}

impl Default for WireLimits {
    fn default() -> Self {
        WireLimits {
            max_request_bytes: MAX_REQUEST_BYTES,
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }
}

/// Wraps a [`WireError`] in the `io::Error` the [`Codec`] trait requires.
/// [`wire_error_of`] gets it back.
pub fn into_io(error: WireError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// The [`WireError`] inside an `io::Error` made by this codec, if any.
pub fn wire_error_of(error: &io::Error) -> Option<&WireError> {
    error.get_ref().and_then(|e| e.downcast_ref::<WireError>())
}

/// Reads one frame of at most `max` payload bytes.
pub async fn read_frame<T>(io: &mut T, kind: MessageKind, max: usize) -> io::Result<Vec<u8>>
where
    T: AsyncRead + Unpin + Send,
{
    let mut prefix = [0u8; 4];
    io.read_exact(&mut prefix).await?;
    let len = u32::from_be_bytes(prefix) as usize;
    if len > max {
        return Err(into_io(WireError::FrameTooLarge {
            kind,
            len: len as u64,
            max,
        }));
    }
    if len == 0 {
        return Err(into_io(WireError::Empty { kind }));
    }
    let mut payload = Vec::new();
    // `take` bounds the read; `read_to_end` grows the buffer as bytes arrive.
    (&mut *io)
        .take(len as u64)
        .read_to_end(&mut payload)
        .await?;
    if payload.len() != len {
        return Err(into_io(WireError::Truncated {
            kind,
            got: payload.len(),
            expected: len,
        }));
    }
    Ok(payload)
}

/// Writes one frame, refusing payloads above `max` bytes, then closes the
/// writing side of the stream.
pub async fn write_frame<T>(
    io: &mut T,
    kind: MessageKind,
    max: usize,
    payload: &[u8],
) -> io::Result<()>
where
    T: AsyncWrite + Unpin + Send,
{
    let too_large = || {
        into_io(WireError::OutgoingTooLarge {
            kind,
            len: payload.len(),
            max,
        })
    };
    if payload.len() > max {
        return Err(too_large());
    }
    let len = u32::try_from(payload.len()).map_err(|_| too_large())?;
    io.write_all(&len.to_be_bytes()).await?;
    io.write_all(payload).await?;
    io.close().await
}

/// The request-response codec of `/nansen/sync/1`.
///
/// Its request type is `Result<SyncRequest, WireError>`: reading yields
/// `Err` for a frame that is too large, truncated or not a valid request;
/// writing an `Err` fails.
#[derive(Debug, Clone, Default)]
pub struct SyncCodec {
    limits: WireLimits,
}

impl SyncCodec {
    /// A codec enforcing the given bounds.
    pub fn new(limits: WireLimits) -> Self {
        SyncCodec { limits }
    }
}

impl Codec for SyncCodec {
    type Protocol = StreamProtocol;
    type Request = Result<SyncRequest, WireError>;
    type Response = SyncResponse;

    async fn read_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
    ) -> io::Result<Result<SyncRequest, WireError>>
    where
        T: AsyncRead + Unpin + Send,
    {
        let max = self.limits.max_request_bytes;
        match read_frame(io, MessageKind::Request, max).await {
            // `SyncRequest::decode` also holds the protocol's own bound.
            Ok(bytes) => Ok(SyncRequest::decode(&bytes)),
            Err(e) => match wire_error_of(&e) {
                Some(wire) => Ok(Err(wire.clone())),
                None => Err(e),
            },
        }
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<SyncResponse>
    where
        T: AsyncRead + Unpin + Send,
    {
        let max = self.limits.max_response_bytes;
        let bytes = read_frame(io, MessageKind::Response, max).await?;
        SyncResponse::decode(&bytes).map_err(into_io)
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        request: Result<SyncRequest, WireError>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        let bytes = request.and_then(|r| r.encode()).map_err(into_io)?;
        write_frame(
            io,
            MessageKind::Request,
            self.limits.max_request_bytes,
            &bytes,
        )
        .await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        response: SyncResponse,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        let bytes = response.encode().map_err(into_io)?;
        write_frame(
            io,
            MessageKind::Response,
            self.limits.max_response_bytes,
            &bytes,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libp2p::futures::executor::block_on;
    use libp2p::futures::io::Cursor;
    use serde_bytes::ByteBuf;

    fn wire_error(result: io::Result<impl std::fmt::Debug>) -> WireError {
        let error = result.expect_err("expected an error");
        wire_error_of(&error).cloned().expect("a wire error")
    }

    #[test]
    fn request_round_trips_through_a_frame() {
        block_on(async {
            let mut codec = SyncCodec::default();
            let mut buffer = Cursor::new(Vec::new());
            let request = SyncRequest::Heads {
                network_id: [1; 32],
            };
            codec
                .write_request(&SYNC_PROTOCOL, &mut buffer, Ok(request.clone()))
                .await
                .unwrap();
            let bytes = buffer.into_inner();
            assert_eq!(&bytes[..4], &((bytes.len() - 4) as u32).to_be_bytes());
            let got = codec
                .read_request(&SYNC_PROTOCOL, &mut Cursor::new(bytes))
                .await
                .unwrap();
            assert_eq!(got, Ok(request));
        });
    }

    #[test]
    fn announced_length_over_the_bound_is_refused_before_reading() {
        block_on(async {
            let mut codec = SyncCodec::default();
            let mut bytes = ((MAX_REQUEST_BYTES + 1) as u32).to_be_bytes().to_vec();
            bytes.extend_from_slice(&[0; 16]);
            let result = codec
                .read_request(&SYNC_PROTOCOL, &mut Cursor::new(bytes))
                .await
                .expect("a value, not an I/O error");
            assert!(matches!(
                result,
                Err(WireError::FrameTooLarge {
                    kind: MessageKind::Request,
                    ..
                })
            ));
            let bytes = u32::MAX.to_be_bytes().to_vec();
            let result = codec
                .read_response(&SYNC_PROTOCOL, &mut Cursor::new(bytes))
                .await;
            assert!(matches!(
                wire_error(result),
                WireError::FrameTooLarge {
                    kind: MessageKind::Response,
                    len: 4294967295,
                    ..
                }
            ));
        });
    }

    #[test]
    fn truncated_frame_is_refused() {
        block_on(async {
            let mut codec = SyncCodec::default();
            let mut bytes = 100u32.to_be_bytes().to_vec();
            bytes.extend_from_slice(&[0xa1; 10]);
            let result = codec
                .read_response(&SYNC_PROTOCOL, &mut Cursor::new(bytes))
                .await;
            assert!(matches!(
                wire_error(result),
                WireError::Truncated {
                    got: 10,
                    expected: 100,
                    ..
                }
            ));
        });
    }

    #[test]
    fn oversized_response_is_not_written() {
        block_on(async {
            let mut codec = SyncCodec::new(WireLimits {
                max_request_bytes: 64,
                max_response_bytes: 64,
            });
            let response = SyncResponse::Entries {
                entries: vec![ByteBuf::from(vec![0; 100])],
            };
            let mut buffer = Cursor::new(Vec::new());
            let result = codec
                .write_response(&SYNC_PROTOCOL, &mut buffer, response)
                .await;
            let error = wire_error(result);
            assert!(matches!(error, WireError::OutgoingTooLarge { .. }));
            assert!(!error.is_peer_fault());
            assert!(buffer.into_inner().is_empty());
        });
    }
}
