//! The ledger core running in WebAssembly: a registrar is accredited and
//! attests, the entries go into a [`MemoryLedger`], and the chain's Merkle
//! root must be the pinned one. `scripts/wasm-check.sh` builds this for
//! `wasm32-unknown-unknown` and, when Node.js is present, runs it
//! (`scripts/wasm-smoke.mjs`); `ledger/tests/wasm_smoke.rs` runs the same
//! scenario natively. Exports plain C-ABI functions, no bindings needed.

use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::store::{MemoryLedger, Outcome};
use ledger::types::{Author, EventKind};
use std::sync::OnceLock;

/// The root of registrar-1's chain after its accreditation and 16
/// attestations, hex (computed natively; the wasm build must agree).
pub const EXPECTED_ROOT_HEX: &str =
    "e11e266bb7a46ba616fc64edd4e14de34b0ac90333a0599424e2034cf5f30f68";

/// Runs the scenario: the registrar chain's root, or why it failed.
pub fn scenario_root() -> Result<String, String> {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .map_err(|e| e.to_string())?;
    let mut batch = vec![accreditation.into_bytes()];
    for n in 0..16 {
        let entry = reg
            .attest(n, EventKind::Birth, "JO", T0_MS + 10 + n)
            .map_err(|e| e.to_string())?;
        batch.push(entry.into_bytes());
    }
    let mut ledger = MemoryLedger::new(&net.genesis).map_err(|e| e.to_string())?;
    let results = ledger.ingest(&batch).map_err(|e| e.to_string())?;
    if let Some(r) = results.iter().find(|r| r.outcome != Outcome::Accepted) {
        return Err(format!("not accepted: {:?}", r.outcome));
    }
    let author = Author::Registrar(reg.id.clone());
    let root = ledger.root(&author, 16).map_err(|e| e.to_string())?;
    Ok(root.to_hex())
}

fn computed() -> &'static Result<String, String> {
    static ROOT: OnceLock<Result<String, String>> = OnceLock::new();
    ROOT.get_or_init(scenario_root)
}

/// 1 if the scenario runs and gives [`EXPECTED_ROOT_HEX`], 0 otherwise.
#[no_mangle]
pub extern "C" fn smoke_root_matches() -> u32 {
    u32::from(
        computed()
            .as_ref()
            .is_ok_and(|root| root == EXPECTED_ROOT_HEX),
    )
}

/// Where the root computed here (64 hex digits), or the error, is held;
/// its length is [`smoke_report_len`]. For the caller's diagnostics.
#[no_mangle]
pub extern "C" fn smoke_report_ptr() -> *const u8 {
    match computed() {
        Ok(root) => root.as_ptr(),
        Err(e) => e.as_ptr(),
    }
}

/// Length in bytes of the text at [`smoke_report_ptr`].
#[no_mangle]
pub extern "C" fn smoke_report_len() -> u32 {
    let text = match computed() {
        Ok(root) => root,
        Err(e) => e,
    };
    u32::try_from(text.len()).unwrap_or(0)
}
