//! Any bytes as a sync request, a sync response and a gossip message (what a peer sends a
//! node): decoding never panics, and whatever decodes is the one canonical encoding of its
//! value, within every bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_wire::sync::{
    GossipMessage, SyncRequest, SyncResponse, MAX_GOSSIP_BYTES, MAX_REQUEST_BYTES,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = SyncRequest::decode(data) {
        assert!(data.len() <= MAX_REQUEST_BYTES);
        assert_eq!(request.encode().ok().as_deref(), Some(data), "request re-encodes");
    }
    if let Ok(response) = SyncResponse::decode(data) {
        assert_eq!(response.encode().ok().as_deref(), Some(data), "response re-encodes");
    }
    if let Ok(message) = GossipMessage::decode(data) {
        assert!(data.len() <= MAX_GOSSIP_BYTES);
        assert_eq!(message.encode().ok().as_deref(), Some(data), "gossip re-encodes");
    }
});
