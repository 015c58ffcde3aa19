//! Any bytes as an equivocation proof (what a peer gossips to freeze a chain): parsing and
//! checking never panic; an accepted proof names two different entries at one position.
#![no_main]

use ledger::equivocation::EquivocationProof;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(proof) = EquivocationProof::from_bytes(data) {
        if let Ok((a, b)) = proof.entries() {
            assert_eq!(a.body().author, b.body().author);
            assert_eq!(a.body().seq, b.body().seq);
            assert_ne!(a.bytes(), b.bytes());
        }
    }
});
