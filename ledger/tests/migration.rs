//! A store written with schema version 2 (one sled key per entry, Merkle
//! nodes from level 1) opens with this program: its entries are moved into
//! blocks byte for byte and every answer stays the same. A store of any
//! other unknown version is refused with a named error.

use ledger::entry::Entry;
use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::merkle;
use ledger::store::{Store, StoreError};
use ledger::types::{Author, EventKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "common/sled_lock.rs"]
mod sled_lock;
use sled_lock::retry_locked;

/// A fresh directory under the system temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("nansen-migration-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Everything a reader asks: entries, roots, proofs, credential statuses.
fn answers(store: &Store, ids: u64) -> String {
    let mut out = format!("{:?}\n", store.state());
    for (author, head) in store.heads() {
        out.push_str(&format!(
            "{author}: {:?}\n",
            store
                .range(&author, 0, usize::MAX, usize::MAX)
                .expect("range")
        ));
        for size in 1..=head.size {
            out.push_str(&format!("root {size}: {:?}\n", store.root(&author, size)));
            for seq in 0..size {
                out.push_str(&format!(
                    "proof {seq} {size}: {:?}\n",
                    store.inclusion_proof(&author, seq, size)
                ));
            }
        }
    }
    for n in 0..ids {
        let id = ledger::fixtures::attestation(n, EventKind::Birth, "JO").credential_id;
        out.push_str(&format!("{n}: {:?}\n", store.credential_status(&id)));
    }
    out
}

/// Rewrites a current store into the schema-2 layout, as the previous
/// program wrote it: `e` author 0x00 seq -> entry, `h` entry hash ->
/// author 0x00 seq, `m` nodes of levels 1 to 3 added, blocks and leaf
/// hashes removed, schema 2.
fn downgrade_to_v2(path: &Path) {
    downgrade_all_but(path, 0);
}

/// As [`downgrade_to_v2`], but the first `keep_blocks` blocks of each
/// chain stay as they are: the state a crash leaves after the migration
/// moved them.
fn downgrade_all_but(path: &Path, keep_blocks: u64) {
    let db = retry_locked(|| sled::open(path)).expect("open sled");
    let mut batch = sled::Batch::default();
    let mut leaves: BTreeMap<Vec<u8>, Vec<merkle::Hash>> = BTreeMap::new();
    for kv in db.scan_prefix(b"b") {
        let (key, value) = kv.expect("read");
        let author_end = key.len() - 9;
        let block = u64::from_be_bytes(key[author_end + 1..].try_into().expect("8 bytes"));
        let mut rest = &value[..];
        let mut seq = block * 16;
        let keep = block < keep_blocks;
        while !rest.is_empty() {
            let len = u32::from_be_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
            let entry = &rest[4..4 + len];
            let mut k = b"e".to_vec();
            k.extend_from_slice(&key[1..author_end + 1]);
            k.extend_from_slice(&seq.to_be_bytes());
            if !keep {
                batch.insert(k.clone(), entry);
            }
            // the entry-hash index of schema 2: hash -> author 0x00 seq
            let mut h = b"h".to_vec();
            h.extend_from_slice(&Entry::decode(entry, usize::MAX).expect("entry").hash().0);
            batch.insert(h, &k[1..]);
            let leaf = Entry::decode(entry, usize::MAX)
                .expect("entry")
                .leaf_hash()
                .0;
            leaves
                .entry(key[1..author_end + 1].to_vec())
                .or_default()
                .push(leaf);
            rest = &rest[4 + len..];
            seq += 1;
        }
        if keep {
            continue;
        }
        let mut leaves_key = key.to_vec();
        leaves_key[0] = b'l';
        batch.remove(leaves_key);
        batch.remove(key);
    }
    for (prefix, leaves) in leaves {
        let mut level: Vec<merkle::Hash> = leaves;
        for l in 1u8..=3 {
            level = level
                .chunks_exact(2)
                .map(|p| merkle::node_hash(&p[0], &p[1]))
                .collect();
            for (i, h) in level.iter().enumerate() {
                let mut k = b"m".to_vec();
                k.extend_from_slice(&prefix);
                k.push(l);
                k.extend_from_slice(&(i as u64).to_be_bytes());
                batch.insert(k, h.to_vec());
            }
        }
    }
    batch.insert(b"Mschema".to_vec(), 2u32.to_be_bytes().to_vec());
    db.apply_batch(batch).expect("apply");
    db.flush().expect("flush");
}

#[test]
fn a_schema_2_store_is_migrated_on_opening_and_answers_the_same() {
    let dir = TempDir::new("v2");
    let path = dir.0.join("db");
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut entries = vec![accreditation.bytes().to_vec()];
    for n in 0..53 {
        let e = reg
            .attest(n, EventKind::Birth, "JO", T0_MS + n)
            .expect("sign");
        entries.push(e.bytes().to_vec());
    }
    let (before, derived) = {
        let mut store = retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("open");
        store.ingest(&entries).expect("ingest");
        (
            answers(&store, 60),
            store.derived_snapshot().expect("snapshot"),
        )
    };
    downgrade_to_v2(&path);
    {
        let db = retry_locked(|| sled::open(&path)).expect("open sled");
        assert!(
            db.scan_prefix(b"e").count() > 50,
            "the downgrade wrote schema-2 entries"
        );
        assert_eq!(db.scan_prefix(b"b").count(), 0);
    }
    let store =
        retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("the schema-2 store opens");
    assert_eq!(answers(&store, 60), before);
    assert_eq!(store.derived_snapshot().expect("snapshot"), derived);
    let registrar = Author::parse("registrar-1").expect("author");
    assert_eq!(
        store
            .range(&registrar, 0, usize::MAX, usize::MAX)
            .expect("range"),
        entries[1..].to_vec(),
        "every entry kept byte for byte"
    );
    let keys: Vec<Vec<u8>> = store.raw_entries().map(|kv| kv.expect("read").0).collect();
    assert!(
        !keys.iter().any(|k| matches!(k.first(), Some(b'e' | b'h'))),
        "no schema-2 entry or hash-index key left"
    );
    drop(store);
    // Opened again: already version 3, nothing to do, same answers.
    let store = retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("reopen");
    assert_eq!(answers(&store, 60), before);
}

/// More entries than one migration batch moves (4,096), in batches that
/// end inside blocks: every entry arrives in its block and the indexes
/// equal the ones the store had.
#[test]
fn a_schema_2_store_larger_than_one_migration_batch_is_moved_whole() {
    let dir = TempDir::new("v2-large");
    let path = dir.0.join("db");
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let entries: Vec<Vec<u8>> = (0..4_203)
        .map(|n| {
            reg.attest(n, EventKind::Birth, "JO", T0_MS + n)
                .expect("sign")
                .into_bytes()
        })
        .collect();
    let registrar = Author::parse("registrar-1").expect("author");
    let (root, derived) = {
        let mut store = retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("open");
        store
            .ingest(&[accreditation.bytes()])
            .expect("accreditation");
        for chunk in entries.chunks(1_001) {
            store.ingest(chunk).expect("ingest");
        }
        (
            store.root(&registrar, 4_203).expect("root"),
            store.derived_snapshot().expect("snapshot"),
        )
    };
    downgrade_to_v2(&path);
    let store =
        retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("the schema-2 store opens");
    assert_eq!(
        store
            .range(&registrar, 0, usize::MAX, usize::MAX)
            .expect("range"),
        entries
    );
    assert_eq!(store.root(&registrar, 4_203).expect("root"), root);
    assert_eq!(store.derived_snapshot().expect("snapshot"), derived);
    drop(store);
    // A migration cut short after moving the first 100 blocks of the chain
    // (schema still 2): the next opening carries on.
    downgrade_all_but(&path, 100);
    let store = retry_locked(|| Store::open(&path, Some(&net.genesis)))
        .expect("an interrupted migration resumes");
    assert_eq!(
        store
            .range(&registrar, 0, usize::MAX, usize::MAX)
            .expect("range"),
        entries
    );
    assert_eq!(store.root(&registrar, 4_203).expect("root"), root);
    assert_eq!(store.derived_snapshot().expect("snapshot"), derived);
}

#[test]
fn a_store_of_an_unknown_schema_is_refused_with_a_named_error() {
    let dir = TempDir::new("v1");
    let path = dir.0.join("db");
    let net = TestNetwork::new(3, 2);
    drop(retry_locked(|| Store::open(&path, Some(&net.genesis))).expect("open"));
    {
        let db = retry_locked(|| sled::open(&path)).expect("open sled");
        db.insert(b"Mschema", 1u32.to_be_bytes().to_vec())
            .expect("insert");
        db.flush().expect("flush");
    }
    let err = retry_locked(|| Store::open(&path, Some(&net.genesis)))
        .err()
        .expect("a schema-1 store is refused");
    assert!(matches!(
        err,
        StoreError::SchemaVersion {
            found: 1,
            expected: 3
        }
    ));
    assert_eq!(err.code(), "schema_version");
    assert!(err.to_string().contains("nansen-node export"), "{err}");
}
