//! Any text as the parts of a presentation's QR codes (what a scanner reads, `NS1` or `NS2`): decoding never
//! panics and never yields more than the bound; what decodes encodes again into parts that
//! decode to the same presentation. The same text read as a verifier's challenge code never
//! panics, and a code that reads writes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nansen_wire::challenge::ChallengeRequest;
use nansen_wire::qr_text::{decode_any_parts, decode_parts, encode_parts, MAX_PRESENTATION};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(request) = ChallengeRequest::from_text(text) {
        assert_eq!(ChallengeRequest::from_text(&request.to_text()), Ok(request));
    }
    if let Ok(presentation) = decode_parts(text) {
        assert!(presentation.len() <= MAX_PRESENTATION);
        let again = decode_parts(&encode_parts(&presentation).join("\n"));
        assert_eq!(again.as_deref(), Ok(presentation.as_str()), "parts round-trip");
    }
    // Either framing (NS1 or NS2): no panic, and what reads is within the bound.
    if let Ok(presentation) = decode_any_parts(text) {
        assert!(presentation.len() <= MAX_PRESENTATION);
    }
});
