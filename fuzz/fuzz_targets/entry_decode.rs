//! Any bytes as a signed entry: decoding never panics, and what decodes re-encodes to
//! exactly the bytes given (one entry, one byte string).
#![no_main]

use ledger::entry::Entry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entry) = Entry::decode(data, 16 * 1024) {
        assert_eq!(entry.bytes(), data, "an accepted entry is its own bytes");
        assert!(!entry.signatures().is_empty());
    }
});
