//! Any bytes as a signed checkpoint note, and as a witness `add-checkpoint` request: parsing
//! never panics, and a parsed note prints back to the bytes it came from.
#![no_main]

use ledger::checkpoint::{AddCheckpointRequest, SignedCheckpoint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(note) = SignedCheckpoint::parse(data) {
        assert_eq!(note.to_bytes(), data, "a parsed note prints back to its bytes");
    }
    let _ = AddCheckpointRequest::parse(data);
});
