//! The sync protocol's messages and their one canonical encoding.
//!
//! Every message is CBOR in serde_cbor's *packed* form, the same canonical
//! form the ledger uses for signed entries: structs are maps with integer
//! keys in declaration order, enum variants with fields are a one-entry map
//! from the variant index to the fields, unit variants are their index, byte
//! strings are CBOR byte strings, integers are shortest-form and lengths are
//! definite. Decoding re-encodes the value and requires the same bytes, so a
//! message has exactly one accepted encoding.
//!
//! Signed entries travel as opaque byte strings (`ByteBuf`): they are the
//! exact bytes their author signed and are never decoded or re-encoded here.
//!
//! Variant and field order is part of the wire format: append new variants
//! and fields at the end, never reorder. The byte-exact tests below pin it.
//!
//! This module does no I/O; the node frames these messages on its streams
//! (`node/src/sync/codec.rs`).

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_bytes::ByteBuf;

/// The id of a network: the hash of its genesis document.
pub type NetworkId = [u8; 32];

/// Largest request frame payload, in bytes.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Largest response frame payload, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// Largest encoded gossip message, in bytes (also gossipsub's transmit limit).
pub const MAX_GOSSIP_BYTES: usize = 64 * 1024;
/// Largest author identifier, in bytes of UTF-8.
pub const MAX_AUTHOR_BYTES: usize = 256;
/// Largest checkpoint note carried in gossip, in bytes of UTF-8.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;
/// Largest error message text in a [`SyncResponse::Error`], in bytes.
pub const MAX_ERROR_MESSAGE_BYTES: usize = 1024;
/// Largest `max_entries` a responder honours in one range request.
pub const MAX_RANGE_ENTRIES: u32 = 4096;

/// A request sent over the `/nansen/sync/1` request-response protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncRequest {
    /// Handshake: "I am on this network". Answered by [`SyncResponse::Hello`].
    Hello {
        /// The requester's network id.
        #[serde(with = "serde_bytes")]
        network_id: NetworkId,
    },
    /// Ask for the responder's chain heads. Answered by [`SyncResponse::Heads`].
    Heads {
        /// The requester's network id.
        #[serde(with = "serde_bytes")]
        network_id: NetworkId,
    },
    /// Ask for consecutive entries of one chain. Answered by
    /// [`SyncResponse::Entries`].
    Range {
        /// The requester's network id.
        #[serde(with = "serde_bytes")]
        network_id: NetworkId,
        /// The chain's author, as the ledger names authors.
        author: String,
        /// Sequence number of the first entry wanted.
        from_seq: u64,
        /// At most this many entries (the responder may send fewer).
        max_entries: u32,
        /// At most this many bytes of entries in total (the responder may
        /// send fewer, but always at least one entry if it has one).
        max_bytes: u32,
    },
}

impl SyncRequest {
    /// The network id the request names.
    pub fn network_id(&self) -> &NetworkId {
        match self {
            SyncRequest::Hello { network_id }
            | SyncRequest::Heads { network_id }
            | SyncRequest::Range { network_id, .. } => network_id,
        }
    }
}

/// The state of one chain as a node knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// The chain's author.
    pub author: String,
    /// Number of entries in the chain (the next sequence number).
    pub size: u64,
    /// Hash of the entry at sequence `size - 1` (all zero when `size` is 0).
    #[serde(with = "serde_bytes")]
    pub head: [u8; 32],
}

/// A response on the `/nansen/sync/1` protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncResponse {
    /// Handshake answer: the responder's network id (equal to the request's).
    Hello {
        /// The responder's network id.
        #[serde(with = "serde_bytes")]
        network_id: NetworkId,
    },
    /// The responder's chain heads, one per chain it holds.
    Heads {
        /// The heads, in any order, at most one per author.
        heads: Vec<ChainHead>,
    },
    /// Consecutive entries of the requested chain, from `from_seq` on, each
    /// the exact signed bytes as stored.
    Entries {
        /// The signed entries, in sequence order.
        entries: Vec<ByteBuf>,
    },
    /// The request was refused.
    Error {
        /// Why, as a number a program can act on.
        code: ErrorCode,
        /// Why, for a human reading a log.
        message: String,
    },
}

/// Why a responder refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u16", into = "u16")]
pub enum ErrorCode {
    /// The request named another network id (1). The requester is banned.
    WrongNetwork,
    /// The responder holds no chain by that author (2).
    UnknownAuthor,
    /// The requester sent too many requests (3).
    RateLimited,
    /// The request is well-formed but not acceptable, e.g. `max_entries` 0 (4).
    BadRequest,
    /// The responder failed internally (5).
    Internal,
    /// A code this version does not know.
    Other(u16),
}

impl From<u16> for ErrorCode {
    fn from(code: u16) -> Self {
        match code {
            1 => ErrorCode::WrongNetwork,
            2 => ErrorCode::UnknownAuthor,
            3 => ErrorCode::RateLimited,
            4 => ErrorCode::BadRequest,
            5 => ErrorCode::Internal,
            other => ErrorCode::Other(other),
        }
    }
}

impl From<ErrorCode> for u16 {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::WrongNetwork => 1,
            ErrorCode::UnknownAuthor => 2,
            ErrorCode::RateLimited => 3,
            ErrorCode::BadRequest => 4,
            ErrorCode::Internal => 5,
            ErrorCode::Other(other) => other,
        }
    }
}

/// What a node announces on its network's gossipsub topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gossip {
    /// New signed entries (small batches; large ones go through sync).
    Entries {
        /// The exact signed entry bytes.
        entries: Vec<ByteBuf>,
    },
    /// The sender's current chain heads, so peers can see what they lack.
    Heads {
        /// The sender's heads.
        heads: Vec<ChainHead>,
    },
    /// A signed (and possibly cosigned) checkpoint note, as text.
    Checkpoint {
        /// The checkpoint note.
        note: String,
    },
    /// Two validly signed entries with the same author and sequence number.
    Equivocation {
        /// The first entry's exact bytes.
        first: ByteBuf,
        /// The second entry's exact bytes.
        second: ByteBuf,
    },
}

/// A gossip message as published: the network id, then the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GossipMessage {
    /// The publisher's network id.
    #[serde(with = "serde_bytes")]
    pub network_id: NetworkId,
    /// The announcement.
    pub gossip: Gossip,
}

/// Which kind of message a [`WireError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A [`SyncRequest`].
    Request,
    /// A [`SyncResponse`].
    Response,
    /// A [`GossipMessage`].
    Gossip,
}

impl std::fmt::Display for MessageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MessageKind::Request => "request",
            MessageKind::Response => "response",
            MessageKind::Gossip => "gossip",
        })
    }
}

/// Why bytes could not be read (or written) as a sync or gossip message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The peer announced or sent a frame larger than the bound.
    #[error("{kind} frame of {len} bytes exceeds the limit of {max}")]
    FrameTooLarge {
        /// What the frame held.
        kind: MessageKind,
        /// The announced length.
        len: u64,
        /// The bound.
        max: usize,
    },
    /// We were about to send a message larger than the bound (our fault).
    #[error("outgoing {kind} of {len} bytes exceeds the limit of {max}")]
    OutgoingTooLarge {
        /// What the message is.
        kind: MessageKind,
        /// Its encoded length.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// The frame ended before its announced length.
    #[error("{kind} frame truncated: {got} of {expected} bytes")]
    Truncated {
        /// What the frame held.
        kind: MessageKind,
        /// Bytes received.
        got: usize,
        /// Bytes announced.
        expected: usize,
    },
    /// A frame of zero bytes.
    #[error("empty {kind} frame")]
    Empty {
        /// What the frame should have held.
        kind: MessageKind,
    },
    /// The bytes are not CBOR of the expected shape.
    #[error("malformed {kind}: {reason}")]
    Malformed {
        /// What the bytes should have been.
        kind: MessageKind,
        /// The decoder's explanation.
        reason: String,
    },
    /// The bytes decode but are not the canonical encoding.
    #[error("non-canonical {kind} encoding")]
    NonCanonical {
        /// What the bytes held.
        kind: MessageKind,
    },
    /// A string field is longer than its bound.
    #[error("{field} of {len} bytes exceeds the limit of {max}")]
    FieldTooLong {
        /// Which field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// A message could not be encoded (a bug, not a peer's doing).
    #[error("cannot encode {kind}: {reason}")]
    Encode {
        /// What was being encoded.
        kind: MessageKind,
        /// The encoder's explanation.
        reason: String,
    },
}

impl WireError {
    /// Whether the error shows the remote peer misbehaving (as opposed to a
    /// local limit or bug). Peers at fault are banned.
    pub fn is_peer_fault(&self) -> bool {
        !matches!(
            self,
            WireError::OutgoingTooLarge { .. } | WireError::Encode { .. }
        )
    }
}

fn encode<T: Serialize>(value: &T, kind: MessageKind) -> Result<Vec<u8>, WireError> {
    serde_cbor::ser::to_vec_packed(value).map_err(|e| WireError::Encode {
        kind,
        reason: e.to_string(),
    })
}

fn decode<T: Serialize + DeserializeOwned>(
    bytes: &[u8],
    kind: MessageKind,
) -> Result<T, WireError> {
    if bytes.is_empty() {
        return Err(WireError::Empty { kind });
    }
    let value: T = serde_cbor::from_slice(bytes).map_err(|e| WireError::Malformed {
        kind,
        reason: e.to_string(),
    })?;
    if encode(&value, kind)? != bytes {
        return Err(WireError::NonCanonical { kind });
    }
    Ok(value)
}

fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), WireError> {
    if value.len() > max {
        return Err(WireError::FieldTooLong {
            field,
            len: value.len(),
            max,
        });
    }
    Ok(())
}

fn check_heads(heads: &[ChainHead]) -> Result<(), WireError> {
    heads
        .iter()
        .try_for_each(|h| check_len("author", &h.author, MAX_AUTHOR_BYTES))
}

impl SyncRequest {
    /// The canonical bytes of this request.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        encode(self, MessageKind::Request)
    }

    /// Reads a request from its canonical bytes, checking field bounds.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        if bytes.len() > MAX_REQUEST_BYTES {
            return Err(WireError::FrameTooLarge {
                kind: MessageKind::Request,
                len: bytes.len() as u64,
                max: MAX_REQUEST_BYTES,
            });
        }
        let request: SyncRequest = decode(bytes, MessageKind::Request)?;
        if let SyncRequest::Range { author, .. } = &request {
            check_len("author", author, MAX_AUTHOR_BYTES)?;
        }
        Ok(request)
    }
}

impl SyncResponse {
    /// The canonical bytes of this response.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        encode(self, MessageKind::Response)
    }

    /// Reads a response from its canonical bytes, checking field bounds.
    ///
    /// The frame size bound is the codec's job; this checks the fields.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let response: SyncResponse = decode(bytes, MessageKind::Response)?;
        match &response {
            SyncResponse::Heads { heads } => check_heads(heads)?,
            SyncResponse::Error { message, .. } => {
                check_len("error message", message, MAX_ERROR_MESSAGE_BYTES)?
            }
            SyncResponse::Hello { .. } | SyncResponse::Entries { .. } => {}
        }
        Ok(response)
    }

    /// A refusal with the given code and text (truncated to its bound).
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.len() > MAX_ERROR_MESSAGE_BYTES {
            let mut cut = MAX_ERROR_MESSAGE_BYTES;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
        }
        SyncResponse::Error { code, message }
    }
}

impl GossipMessage {
    /// The canonical bytes of this gossip message, refused above
    /// [`MAX_GOSSIP_BYTES`].
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        let bytes = encode(self, MessageKind::Gossip)?;
        if bytes.len() > MAX_GOSSIP_BYTES {
            return Err(WireError::OutgoingTooLarge {
                kind: MessageKind::Gossip,
                len: bytes.len(),
                max: MAX_GOSSIP_BYTES,
            });
        }
        Ok(bytes)
    }

    /// Reads a gossip message from its canonical bytes, checking bounds.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        if bytes.len() > MAX_GOSSIP_BYTES {
            return Err(WireError::FrameTooLarge {
                kind: MessageKind::Gossip,
                len: bytes.len() as u64,
                max: MAX_GOSSIP_BYTES,
            });
        }
        let message: GossipMessage = decode(bytes, MessageKind::Gossip)?;
        match &message.gossip {
            Gossip::Heads { heads } => check_heads(heads)?,
            Gossip::Checkpoint { note } => check_len("checkpoint note", note, MAX_NOTE_BYTES)?,
            Gossip::Entries { .. } | Gossip::Equivocation { .. } => {}
        }
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NET: NetworkId = [7u8; 32];

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hello_request_has_pinned_bytes() {
        let bytes = SyncRequest::Hello { network_id: NET }.encode().unwrap();
        // {0: {0: h'07..07'}}
        assert_eq!(hex(&bytes), format!("a100a1005820{}", "07".repeat(32)));
        assert_eq!(
            SyncRequest::decode(&bytes).unwrap(),
            SyncRequest::Hello { network_id: NET }
        );
    }

    #[test]
    fn range_request_has_pinned_bytes() {
        let request = SyncRequest::Range {
            network_id: NET,
            author: "ab".into(),
            from_seq: 5,
            max_entries: 100,
            max_bytes: 65536,
        };
        let bytes = request.encode().unwrap();
        // {2: {0: h'07..', 1: "ab", 2: 5, 3: 100, 4: 65536}}
        assert_eq!(
            hex(&bytes),
            format!(
                "a102a5005820{}01626162020503186404{}",
                "07".repeat(32),
                "1a00010000"
            )
        );
        assert_eq!(SyncRequest::decode(&bytes).unwrap(), request);
    }

    #[test]
    fn entries_response_keeps_entry_bytes_exactly() {
        let entries = vec![ByteBuf::from(vec![0xa1, 0x00, 0x01]), ByteBuf::from(vec![])];
        let response = SyncResponse::Entries {
            entries: entries.clone(),
        };
        let bytes = response.encode().unwrap();
        // {2: {0: [h'a10001', h'']}}
        assert_eq!(hex(&bytes), "a102a1008243a1000140");
        match SyncResponse::decode(&bytes).unwrap() {
            SyncResponse::Entries { entries: got } => assert_eq!(got, entries),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn heads_and_error_responses_round_trip() {
        let heads = SyncResponse::Heads {
            heads: vec![ChainHead {
                author: "registrar-1".into(),
                size: 3,
                head: [9u8; 32],
            }],
        };
        assert_eq!(
            SyncResponse::decode(&heads.encode().unwrap()).unwrap(),
            heads
        );
        let error = SyncResponse::error(ErrorCode::WrongNetwork, "other network");
        let bytes = error.encode().unwrap();
        // {3: {0: 1, 1: "other network"}}
        assert_eq!(&hex(&bytes)[..12], "a103a2000101");
        assert_eq!(SyncResponse::decode(&bytes).unwrap(), error);
    }

    #[test]
    fn spec_examples_have_pinned_bytes() {
        let error = SyncResponse::error(ErrorCode::WrongNetwork, "other network");
        assert_eq!(
            hex(&error.encode().unwrap()),
            "a103a20001016d6f74686572206e6574776f726b"
        );
        let checkpoint = GossipMessage {
            network_id: NET,
            gossip: Gossip::Checkpoint { note: "x".into() },
        };
        assert_eq!(
            hex(&checkpoint.encode().unwrap()),
            format!("a2005820{}01a102a1006178", "07".repeat(32))
        );
    }

    #[test]
    fn unknown_error_code_is_kept() {
        let error = SyncResponse::error(ErrorCode::Other(999), "");
        let bytes = error.encode().unwrap();
        assert_eq!(SyncResponse::decode(&bytes).unwrap(), error);
    }

    #[test]
    fn gossip_round_trips_with_network_id() {
        for gossip in [
            Gossip::Entries {
                entries: vec![ByteBuf::from(vec![1, 2, 3])],
            },
            Gossip::Heads { heads: vec![] },
            Gossip::Checkpoint {
                note: "nansen.example/reg-1\n3\nAAAA\n".into(),
            },
            Gossip::Equivocation {
                first: ByteBuf::from(vec![1]),
                second: ByteBuf::from(vec![2]),
            },
        ] {
            let message = GossipMessage {
                network_id: NET,
                gossip,
            };
            let bytes = message.encode().unwrap();
            assert_eq!(GossipMessage::decode(&bytes).unwrap(), message);
        }
    }

    #[test]
    fn non_shortest_integer_is_refused_as_non_canonical() {
        // Range with from_seq 5 written as 0x18 0x05.
        let canonical = SyncRequest::Range {
            network_id: NET,
            author: "ab".into(),
            from_seq: 5,
            max_entries: 1,
            max_bytes: 1,
        }
        .encode()
        .unwrap();
        let pos = canonical
            .windows(2)
            .position(|w| w == [0x02, 0x05])
            .unwrap();
        let mut bytes = canonical[..pos + 1].to_vec();
        bytes.extend_from_slice(&[0x18, 0x05]);
        bytes.extend_from_slice(&canonical[pos + 2..]);
        assert_eq!(
            SyncRequest::decode(&bytes),
            Err(WireError::NonCanonical {
                kind: MessageKind::Request
            })
        );
    }

    #[test]
    fn trailing_bytes_and_garbage_are_malformed() {
        let mut bytes = SyncRequest::Heads { network_id: NET }.encode().unwrap();
        bytes.push(0);
        assert!(matches!(
            SyncRequest::decode(&bytes),
            Err(WireError::Malformed { .. })
        ));
        assert!(matches!(
            SyncResponse::decode(&[0xff, 0x00]),
            Err(WireError::Malformed { .. })
        ));
        assert_eq!(
            GossipMessage::decode(&[]),
            Err(WireError::Empty {
                kind: MessageKind::Gossip
            })
        );
    }

    #[test]
    fn short_network_id_is_malformed() {
        // {1: {0: h'0707'}}: a Heads request with a 2-byte network id.
        let bytes = [0xa1, 0x01, 0xa1, 0x00, 0x42, 0x07, 0x07];
        assert!(matches!(
            SyncRequest::decode(&bytes),
            Err(WireError::Malformed { .. })
        ));
    }

    #[test]
    fn overlong_author_is_refused() {
        let request = SyncRequest::Range {
            network_id: NET,
            author: "x".repeat(MAX_AUTHOR_BYTES + 1),
            from_seq: 0,
            max_entries: 1,
            max_bytes: 1,
        };
        let bytes = request.encode().unwrap();
        assert!(matches!(
            SyncRequest::decode(&bytes),
            Err(WireError::FieldTooLong {
                field: "author",
                ..
            })
        ));
    }

    #[test]
    fn oversized_gossip_is_refused_on_both_sides() {
        let message = GossipMessage {
            network_id: NET,
            gossip: Gossip::Entries {
                entries: vec![ByteBuf::from(vec![0u8; MAX_GOSSIP_BYTES])],
            },
        };
        assert!(matches!(
            message.encode(),
            Err(WireError::OutgoingTooLarge { .. })
        ));
        let bytes = vec![0u8; MAX_GOSSIP_BYTES + 1];
        assert!(matches!(
            GossipMessage::decode(&bytes),
            Err(WireError::FrameTooLarge { .. })
        ));
    }

    #[test]
    fn error_text_is_truncated_on_a_char_boundary() {
        let long = "é".repeat(MAX_ERROR_MESSAGE_BYTES);
        match SyncResponse::error(ErrorCode::Internal, long) {
            SyncResponse::Error { message, .. } => {
                assert!(message.len() <= MAX_ERROR_MESSAGE_BYTES)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic_the_decoders(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = SyncRequest::decode(&bytes);
            let _ = SyncResponse::decode(&bytes);
            let _ = GossipMessage::decode(&bytes);
        }

        #[test]
        fn mutated_valid_messages_never_panic_the_decoders(
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)
        ) {
            let mut bytes = SyncResponse::Heads { heads: vec![ChainHead {
                author: "r".into(), size: 1, head: [1; 32] }] }.encode().unwrap();
            bytes.extend(SyncRequest::Range { network_id: NET, author: "a".into(),
                from_seq: 1, max_entries: 2, max_bytes: 3 }.encode().unwrap());
            for (at, value) in flips {
                let len = bytes.len();
                bytes[at % len] = value;
            }
            for cut in [bytes.len(), bytes.len() / 2, 3] {
                let _ = SyncRequest::decode(&bytes[..cut]);
                let _ = SyncResponse::decode(&bytes[..cut]);
                let _ = GossipMessage::decode(&bytes[..cut]);
            }
        }
    }
}
