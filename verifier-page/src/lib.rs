//! The browser verifier's files: the page (`assets/index.html`, `page.js`, `style.css`), the
//! WebAssembly module `assets/verifier.wasm` (crate `nansen-verifier-wasm`, built and
//! checked by `scripts/verifier-page.sh`: CI rebuilds it and fails when the committed module
//! is not the one this source builds), and the folder they make with a trust file and the
//! claim labels, which works from a disk with no server and no network
//! (`specs/credentials.md` section 15).
//!
//! No I/O here: [`folder`] gives the files' names and bytes; the caller writes them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use nansen_verifier::trust::TrustFile;
use sha2::{Digest as _, Sha256};

/// The page.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");
/// The page's script.
pub const PAGE_JS: &str = include_str!("../assets/page.js");
/// The page's style.
pub const STYLE_CSS: &str = include_str!("../assets/style.css");
/// `labels.js`: the claim labels per language, `window.NANSEN_LABELS = {"en": {"givenName":
/// "Given name", ...}, "fr": ..., "ar": ...}`, made from the wallet's message catalogue (its
/// test `the_page_labels_are_the_catalogue_s` fails when they differ).
pub const LABELS_JS: &str = include_str!("../assets/labels.js");
/// The verifier module (WebAssembly).
pub const VERIFIER_WASM: &[u8] = include_bytes!("../assets/verifier.wasm");

/// Hex SHA-256 of [`VERIFIER_WASM`], as `scripts/verifier-page.sh` prints it.
pub fn wasm_sha256() -> String {
    hex::encode(Sha256::digest(VERIFIER_WASM))
}

/// `verifier-wasm.js`: the module as base64 in a script (a page opened from disk may not
/// fetch a file next to it, but may run a script).
pub fn wasm_script() -> String {
    format!(
        "// The Nansen verifier module (WebAssembly), SHA-256 {}.\nwindow.NANSEN_WASM = \"{}\";\n",
        wasm_sha256(),
        STANDARD.encode(VERIFIER_WASM)
    )
}

/// `trust.js`: the trust file as a script the page loads at start.
pub fn trust_script(trust: &TrustFile) -> String {
    let json = serde_json::to_string(trust).unwrap_or_else(|_| "null".to_owned());
    format!("window.NANSEN_TRUST = {json};\n")
}

/// The text of [`LABELS_JS`] for these claim labels, check labels, ledger detail texts (by
/// the core's detail key) and presentation error texts (by error name), each
/// `{"en": {name: text}, ...}`.
pub fn labels_script(
    labels: &serde_json::Value,
    checks: &serde_json::Value,
    details: &serde_json::Value,
    errors: &serde_json::Value,
) -> String {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".to_owned());
    format!(
        "// Claim and check labels, and the checks' detail and error texts, from the wallet's \
         message catalogue (wallet-cli/src/i18n.rs): the texts of `nansen verify --lang`.\n\
         window.NANSEN_LABELS = {};\n\
         window.NANSEN_CHECK_LABELS = {};\n\
         window.NANSEN_DETAILS = {};\n\
         window.NANSEN_ERRORS = {};\n",
        pretty(labels),
        pretty(checks),
        pretty(details),
        pretty(errors)
    )
}

/// The folder's files, name and bytes: the page, its script and style, the module, the
/// labels, and with a trust file `trust.js` and `trust.json` (the same JSON, for loading in
/// another copy of the page).
pub fn folder(trust: Option<&TrustFile>) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![
        ("index.html", INDEX_HTML.as_bytes().to_vec()),
        ("page.js", PAGE_JS.as_bytes().to_vec()),
        ("style.css", STYLE_CSS.as_bytes().to_vec()),
        ("verifier-wasm.js", wasm_script().into_bytes()),
        ("labels.js", LABELS_JS.as_bytes().to_vec()),
    ];
    if let Some(trust) = trust {
        files.push(("trust.js", trust_script(trust).into_bytes()));
        let json = serde_json::to_vec_pretty(trust).unwrap_or_default();
        files.push(("trust.json", json));
    }
    files
}
