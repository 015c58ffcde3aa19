//! The store's Merkle answers at sizes where every part of its layout is in
//! play (leaf hashes beside each 16-entry block, levels 1 to 3 hashed from
//! them, levels 4 and up stored, levels 8 and up also held in memory): each
//! root equals the RFC 6962 root computed from the leaves alone, and each
//! inclusion and consistency proof verifies against those roots; the same
//! after reopening the store (memory filled from disk) and after a rebuild
//! of the indexes.

use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::merkle::{self, Hash};
use ledger::store::Store;
use ledger::types::{Author, EventKind};
use std::path::PathBuf;

#[path = "common/sled_lock.rs"]
mod sled_lock;
use sled_lock::retry_locked;

const ENTRIES: u64 = 1_100;

/// RFC 6962 MTH of `leaves`, straight from the definition.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => merkle::empty_root(),
        1 => leaves[0],
        n => {
            let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
            merkle::node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

fn check(store: &Store, author: &Author, leaves: &[Hash], when: &str) {
    let sizes = [1u64, 15, 16, 17, 255, 256, 257, 1_000, 1_024, ENTRIES];
    for size in sizes {
        let root = mth(&leaves[..size as usize]);
        assert_eq!(
            store.root(author, size).expect("root").0,
            root,
            "{when}: root {size}"
        );
        for seq in (0..size).step_by(7).chain([size - 1]) {
            let proof: Vec<Hash> = store
                .inclusion_proof(author, seq, size)
                .expect("inclusion proof")
                .into_iter()
                .map(|h| h.0)
                .collect();
            merkle::verify_inclusion(&leaves[seq as usize], seq, size, &proof, &root)
                .unwrap_or_else(|e| panic!("{when}: inclusion {seq} in {size}: {e}"));
        }
        for old in sizes.into_iter().filter(|o| *o <= size) {
            let proof: Vec<Hash> = store
                .consistency_proof(author, old, size)
                .expect("consistency proof")
                .into_iter()
                .map(|h| h.0)
                .collect();
            let old_root = mth(&leaves[..old as usize]);
            merkle::verify_consistency(old, size, &old_root, &root, &proof)
                .unwrap_or_else(|e| panic!("{when}: consistency {old} -> {size}: {e}"));
        }
    }
}

#[test]
fn roots_and_proofs_match_the_leaves_across_blocks_stored_levels_and_memory() {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("nansen-store-layout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let entries: Vec<_> = (0..ENTRIES)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + n)
                .expect("sign")
        })
        .collect();
    let leaves: Vec<Hash> = entries.iter().map(|e| e.leaf_hash().0).collect();
    let author = Author::parse("registrar-1").expect("author");
    {
        let mut store = retry_locked(|| Store::open(&dir, Some(&net.genesis))).expect("open");
        store
            .ingest(&[accreditation.bytes()])
            .expect("accreditation");
        // Odd batch sizes, so blocks are filled across batches.
        for chunk in entries.chunks(37) {
            let bytes: Vec<&[u8]> = chunk.iter().map(|e| e.bytes()).collect();
            store.ingest(&bytes).expect("ingest");
        }
        check(&store, &author, &leaves, "after ingest");
    }
    let mut store = retry_locked(|| Store::open(&dir, Some(&net.genesis))).expect("reopen");
    check(&store, &author, &leaves, "after reopening");
    store.rebuild_indexes().expect("rebuild");
    check(&store, &author, &leaves, "after a rebuild");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
