//! Any text as a presentation envelope (what a holder hands a verifier): opening never
//! panics, a Data Integrity presentation comes out as a JSON object, and the portable proof
//! it carries either converts to the ledger's form or is refused by name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_wire::envelope::{open_envelope, PresentationForm};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((form, proof)) = open_envelope(text) {
        if let PresentationForm::DataIntegrity(json) = &form {
            let value: serde_json::Value =
                serde_json::from_str(json).expect("the vp re-reads as JSON");
            assert!(value.is_object(), "a Data Integrity presentation is an object");
        }
        if let Some(proof) = proof {
            if let Ok(portable) = proof.to_portable() {
                assert_eq!(portable.inclusion.len(), proof.inclusion.len());
                assert_eq!(portable.tree_size, proof.tree_size);
            }
        }
    }
});
