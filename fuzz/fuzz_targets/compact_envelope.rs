//! Any bytes as a compact presentation envelope (the body of `NS2` QR codes,
//! `nansen_wire::compact::from_bytes`): never panics, never yields more than the bound; what
//! it accepts is the one canonical envelope of the text it gives back, so that text makes an
//! envelope that reads back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_wire::compact::{from_bytes, to_bytes};
use nansen_wire::qr_text::MAX_PRESENTATION;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = from_bytes(data) {
        assert!(text.len() <= MAX_PRESENTATION);
        let again = to_bytes(&text).expect("an accepted envelope's text is compactable");
        assert_eq!(from_bytes(&again).as_deref(), Ok(text.as_str()), "envelope round-trip");
    }
});
