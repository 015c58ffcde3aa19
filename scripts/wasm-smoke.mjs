// Runs the ledger core's WebAssembly smoke module (ledger/examples/wasm_smoke.rs)
// in Node.js: instantiates it with no imports and checks that the Merkle
// root it computes in WebAssembly is the pinned one.
// Usage: node scripts/wasm-smoke.mjs path/to/wasm_smoke.wasm
import { readFile } from "node:fs/promises";

const path = process.argv[2];
if (!path) {
  console.error("usage: node scripts/wasm-smoke.mjs WASM_FILE");
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(await readFile(path), {});
const { memory, smoke_root_matches, smoke_report_ptr, smoke_report_len } = instance.exports;
const ok = smoke_root_matches();
const report = new TextDecoder().decode(
  new Uint8Array(memory.buffer, smoke_report_ptr(), smoke_report_len()),
);
if (ok !== 1) {
  console.error(`wasm smoke: FAILED, the core in WebAssembly gave ${report}`);
  process.exit(1);
}
console.log(`wasm smoke: the core in WebAssembly gives the pinned root ${report}`);
