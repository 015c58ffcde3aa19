//! The WebAssembly smoke scenario (`examples/wasm_smoke.rs`) run natively:
//! it must give the pinned root, which the wasm build is checked against
//! by `scripts/wasm-check.sh`.

#[path = "../examples/wasm_smoke.rs"]
mod wasm_smoke;

#[test]
fn the_wasm_smoke_scenario_gives_the_pinned_root_natively() {
    assert_eq!(
        wasm_smoke::scenario_root().as_deref(),
        Ok(wasm_smoke::EXPECTED_ROOT_HEX)
    );
    assert_eq!(wasm_smoke::smoke_root_matches(), 1);
    assert_eq!(
        wasm_smoke::smoke_report_len() as usize,
        wasm_smoke::EXPECTED_ROOT_HEX.len()
    );
}
