//! QR codes in the page: the codes in a camera frame or a picture ([`nansen_scan`], the
//! finder `nansen` runs on image files), the `NS1` or `NS2` parts gathered so far ([`nansen_parts`]),
//! and the page's challenge as a code ([`nansen_challenge_code`], the text and encoder of
//! `nansen challenge --qr-png`) (`specs/credentials.md` sections 15.2 and 15.4).

use nansen_wire::challenge::ChallengeRequest;
use serde_json::json;

use crate::{error_answer, input, set_output};

/// Reads the QR codes in a picture: `width` × `height` RGBA pixels (4 bytes each, row by row,
/// as a canvas's `getImageData` gives them) at `ptr`, `len` bytes. The answer is
/// `{"codes": [text, ...]}` or `{"error": {"name", "message"}}` (`NotAnImage`, `NoQrCode`,
/// `UnreadableQrCode`).
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`crate::nansen_alloc`] buffer).
#[no_mangle]
pub unsafe extern "C" fn nansen_scan(ptr: *const u8, len: usize, width: usize, height: usize) {
    // SAFETY: see the function's contract.
    let rgba = unsafe { std::slice::from_raw_parts(ptr, len) };
    let answer = match nansen_qr::find_codes_rgba(width, height, rgba) {
        Ok(codes) => json!({ "codes": codes }),
        Err(e) => error_answer(e.name(), &e.to_string()),
    };
    set_output(answer);
}

/// Gathers the `NS1` parts read so far: a JSON array of the codes' texts in, the answer
/// `{"read": k, "total": n, "presentation": text or null}` (the presentation once all `n`
/// are read) or `{"error": {"name": "BadQrText", ...}}`.
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`crate::nansen_alloc`] buffer).
#[no_mangle]
pub unsafe extern "C" fn nansen_parts(ptr: *const u8, len: usize) {
    // SAFETY: passed on from the caller's contract.
    let texts = unsafe { input(ptr, len) }
        .and_then(|t| serde_json::from_str::<Vec<String>>(t).map_err(|e| e.to_string()));
    let answer = match texts {
        Err(e) => error_answer("MalformedRequest", &e),
        Ok(texts) => match nansen_wire::qr_text::gather(texts.iter().map(String::as_str)) {
            Ok(p) => json!({"read": p.read, "total": p.total, "presentation": p.presentation}),
            Err(e) => error_answer("BadQrText", &e.0),
        },
    };
    set_output(answer);
}

/// The page's challenge code: `{"challenge", "audience"}` in, the answer `{"text":
/// "NSC1:<challenge>:<audience>", "size": modules a side, "modules": "0110..."}` (row by row,
/// `1` dark, no quiet zone; error correction M) or `{"error": {"name": "BadChallengeCode",
/// ...}}`.
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`crate::nansen_alloc`] buffer).
#[no_mangle]
pub unsafe extern "C" fn nansen_challenge_code(ptr: *const u8, len: usize) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Request {
        challenge: String,
        audience: String,
    }
    // SAFETY: passed on from the caller's contract.
    let request = unsafe { input(ptr, len) }
        .and_then(|t| serde_json::from_str::<Request>(t).map_err(|e| e.to_string()));
    let answer = match request {
        Err(e) => error_answer("MalformedRequest", &e),
        Ok(r) => match ChallengeRequest::new(&r.challenge, &r.audience) {
            Err(e) => error_answer("BadChallengeCode", &e.to_string()),
            Ok(code) => {
                let text = code.to_text();
                match nansen_qr::modules(&text) {
                    Ok((size, dark)) => {
                        let modules: String =
                            dark.iter().map(|&d| if d { '1' } else { '0' }).collect();
                        json!({"text": text, "size": size, "modules": modules})
                    }
                    Err(e) => error_answer(e.name(), &e.to_string()),
                }
            }
        },
    };
    set_output(answer);
}
