//! The browser verifier's WebAssembly module: [`nansen_verifier::page`] behind a C ABI of a
//! few functions, JSON text in and out (`specs/credentials.md` section 15.2). No bindings
//! generator: the page's script (`verifier-page/assets/page.js`) copies bytes in with
//! [`nansen_alloc`], calls, and reads the answer at [`nansen_output_ptr`] /
//! [`nansen_output_len`].
//!
//! Calls are made one at a time (a page has one thread): the module keeps the opened trust
//! and the last answer in thread-local state. [`scan`] reads QR codes in a camera frame or a
//! picture and draws the page's challenge code.

use std::cell::RefCell;

mod scan;

use nansen_verifier::page::PageVerifier;

thread_local! {
    static VERIFIER: RefCell<PageVerifier> = RefCell::new(PageVerifier::untrusting());
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of `len` bytes for the caller to fill (freed by [`nansen_free`]).
#[no_mangle]
pub extern "C" fn nansen_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees a buffer of [`nansen_alloc`].
///
/// # Safety
/// `ptr` and `len` are those of one [`nansen_alloc`] call, freed once.
#[no_mangle]
pub unsafe extern "C" fn nansen_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller gives back a buffer of nansen_alloc(len), whose capacity is
    // len.max(1) and which holds no initialised elements that need dropping.
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len.max(1)) });
}

/// The input text the caller put at `ptr` (`len` bytes), or the UTF-8 error as an answer.
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`nansen_alloc`] buffer).
pub(crate) unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a str, String> {
    // SAFETY: see the function's contract.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| e.to_string())
}

pub(crate) fn set_output(value: serde_json::Value) {
    let text = serde_json::to_vec(&value).unwrap_or_else(|_| b"null".to_vec());
    OUTPUT.with(|o| *o.borrow_mut() = text);
}

pub(crate) fn error_answer(name: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"name": name, "message": message}})
}

/// Loads a trust file (JSON text; empty text: no trust). The answer is
/// `{"trust": summary}` or `{"error": {...}}`; on an error the previous trust stays.
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`nansen_alloc`] buffer).
#[no_mangle]
pub unsafe extern "C" fn nansen_load_trust(ptr: *const u8, len: usize) {
    // SAFETY: passed on from the caller's contract.
    let answer = match unsafe { input(ptr, len) } {
        Err(e) => error_answer("MalformedTrustFile", &e),
        Ok("") => {
            VERIFIER.with(|v| *v.borrow_mut() = PageVerifier::untrusting());
            serde_json::json!({"trust": null})
        }
        Ok(text) => match PageVerifier::new(text) {
            Ok(verifier) => {
                let summary = verifier.trust_summary();
                VERIFIER.with(|v| *v.borrow_mut() = verifier);
                serde_json::json!({"trust": summary})
            }
            Err(e) => error_answer(e.name(), &e.to_string()),
        },
    };
    set_output(answer);
}

/// Verifies one presentation: the request JSON in, the answer JSON out
/// ([`nansen_verifier::page::PageAnswer`]).
///
/// # Safety
/// `ptr` points at `len` bytes the caller wrote (a [`nansen_alloc`] buffer).
#[no_mangle]
pub unsafe extern "C" fn nansen_verify(ptr: *const u8, len: usize) {
    // SAFETY: passed on from the caller's contract.
    let answer = match unsafe { input(ptr, len) } {
        Err(e) => error_answer("MalformedRequest", &e),
        Ok(text) => VERIFIER.with(|v| {
            serde_json::to_value(v.borrow().verify_json(text))
                .unwrap_or_else(|e| error_answer("Internal", &e.to_string()))
        }),
    };
    set_output(answer);
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn nansen_output_ptr() -> *const u8 {
    OUTPUT.with(|o| o.borrow().as_ptr())
}

/// The last answer's length in bytes.
#[no_mangle]
pub extern "C" fn nansen_output_len() -> usize {
    OUTPUT.with(|o| o.borrow().len())
}
