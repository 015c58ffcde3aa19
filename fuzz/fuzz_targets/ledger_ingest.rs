//! Any sequence of items, each taken as a signed entry, ingested in one batch by the pure
//! core's in-memory ledger of a fixed test network: ingesting never fails or panics, answers
//! once per item, and a second ledger fed the same items in the reverse order ends with the
//! same chains (validation does not depend on arrival order).
//!
//! Input: items as `u16 big-endian length || bytes`, repeated (a short tail is dropped).
#![no_main]

use ledger::fixtures::TestNetwork;
use ledger::store::MemoryLedger;
use libfuzzer_sys::fuzz_target;

fn items(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while data.len() >= 2 && out.len() < 64 {
        let len = usize::from(u16::from_be_bytes([data[0], data[1]]));
        data = &data[2..];
        if len > data.len() {
            break;
        }
        out.push(&data[..len]);
        data = &data[len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let net = TestNetwork::new(3, 2);
    let batch = items(data);
    let mut forward = MemoryLedger::new(&net.genesis).expect("ledger");
    let results = forward.ingest(&batch).expect("ingesting never fails on bad input");
    assert_eq!(results.len(), batch.len(), "one answer per item");
    let mut backward = MemoryLedger::new(&net.genesis).expect("ledger");
    let reversed: Vec<&[u8]> = batch.iter().rev().copied().collect();
    backward.ingest(&reversed).expect("ingesting never fails on bad input");
    assert_eq!(forward.heads(), backward.heads(), "the same chains in any order");
});
