//! Carrying a ledger by USB at camp scale: the real `nansen-node export`
//! and `nansen-node import` on more than 50,000 entries (the most one
//! `POST /v1/entries` takes), a file from another network, and a file with
//! one flipped bit.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{attestations, birth_network, birth_registrars, NodeProcess, BIN};
use nansen_node::cbor_seq::SeqReader;

/// Entries per registrar chain: two chains make more than 50,000 entries.
const PER_REGISTRAR: u64 = 26_000;

fn nansen_node(args: &[&str], file: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg(file)
        .output()
        .expect("run nansen-node")
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The numbers of the import's summary line, by name ("accepted", ...).
fn summary(output: &Output, name: &str) -> u64 {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("entries read,"))
        .unwrap_or_else(|| panic!("no summary line: {}", text(output)));
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let at = words
        .iter()
        .position(|w| *w == name)
        .unwrap_or_else(|| panic!("no {name:?} in {line:?}"));
    words[at - 1].parse().expect("a count")
}

fn read_items(file: &Path) -> Vec<Vec<u8>> {
    let reader = std::fs::File::open(file).expect("open export");
    SeqReader::new(reader, 1 << 20)
        .collect::<Result<_, _>>()
        .expect("the export is a CBOR sequence")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_of_more_than_50000_entries_travels_by_file_and_a_flipped_bit_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut network = birth_registrars(d, 1, 1, 2);
    let source = NodeProcess::start(&d.join("source"), &network.genesis, &[]);
    source.submit(&network.accreditations).await;
    for registrar in &mut network.registrars {
        for start in (0..PER_REGISTRAR).step_by(10_000) {
            let end = (start + 10_000).min(PER_REGISTRAR);
            let answer = source.submit(&attestations(registrar, start..end, 0)).await;
            assert_eq!(answer["accepted"], end - start);
        }
    }
    let total = 2 + 2 * PER_REGISTRAR;

    let file = d.join("ledger.cbor");
    let export = nansen_node(&["export", "--api", &source.addresses.api, "--out"], &file);
    assert!(export.status.success(), "{}", text(&export));
    assert!(
        String::from_utf8_lossy(&export.stdout).starts_with(&format!("{total} entries")),
        "{}",
        text(&export)
    );
    let items = read_items(&file);
    assert_eq!(items.len() as u64, total);

    // The whole file into a fresh node: every entry accepted, equal heads.
    let fresh = NodeProcess::start(&d.join("fresh"), &network.genesis, &[]);
    let import = nansen_node(&["import", "--api", &fresh.addresses.api], &file);
    assert!(import.status.success(), "{}", text(&import));
    assert_eq!(summary(&import, "accepted"), total, "{}", text(&import));
    assert_eq!(source.heads().await, fresh.heads().await);

    // Again: everything is already known, and that is a success.
    let again = nansen_node(&["import", "--api", &fresh.addresses.api], &file);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(summary(&again, "duplicate"), total, "{}", text(&again));

    // One flipped bit in the signature of registrar-1's entry #1000.
    let damaged_at = 2 + 1000;
    let mut damaged = items;
    let entry = &mut damaged[damaged_at];
    let byte = entry.len() - 10;
    entry[byte] ^= 0x01;
    let damaged_file = d.join("damaged.cbor");
    std::fs::write(&damaged_file, damaged.concat()).expect("write damaged file");
    let third = NodeProcess::start(&d.join("third"), &network.genesis, &[]);
    let import = nansen_node(&["import", "--api", &third.addresses.api], &damaged_file);
    assert!(!import.status.success(), "{}", text(&import));
    let out = text(&import);
    let behind = PER_REGISTRAR - 1000 - 1;
    assert_eq!(summary(&import, "refused"), 1, "{out}");
    assert_eq!(summary(&import, "held"), behind, "{out}");
    assert_eq!(summary(&import, "accepted"), total - 1 - behind, "{out}");
    assert!(out.contains("bad_signature"), "{out}");
    assert!(
        out.contains(&format!(
            "{behind}  sequence_gap registrar-1: waiting for entry 1000 of the chain"
        )),
        "{out}"
    );
    assert!(out.contains("incomplete"), "{out}");
    let heads = third.heads().await;
    assert!(
        heads
            .iter()
            .any(|(a, size, _)| a == "registrar-1" && *size == 1000),
        "{heads:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_from_another_network_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for side in ["ours", "theirs"] {
        std::fs::create_dir_all(d.join(side)).expect("dir");
    }
    let ours = birth_network(&d.join("ours"), 1, 1);
    let mut theirs = birth_network(&d.join("theirs"), 2, 1);
    assert_ne!(ours.net.network, theirs.net.network);
    let mut entries = vec![theirs.accreditation.clone()];
    entries.extend(attestations(&mut theirs.registrar, 0..3, 0));
    let file = d.join("theirs.cbor");
    std::fs::write(&file, entries.concat()).expect("write file");

    let node = NodeProcess::start(&d.join("node"), &ours.genesis, &[]);
    let import = nansen_node(&["import", "--api", &node.addresses.api], &file);
    let out = text(&import);
    assert!(!import.status.success(), "{out}");
    assert_eq!(summary(&import, "entries"), 4, "{out}");
    assert_eq!(summary(&import, "accepted"), 0, "{out}");
    assert_eq!(summary(&import, "refused"), 4, "{out}");
    assert!(out.contains("        4  wrong_network"), "{out}");
    assert!(
        node.heads().await.iter().all(|(_, size, _)| *size == 0),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_cut_short_is_named_after_importing_what_it_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut network = birth_network(d, 1, 1);
    let mut entries = vec![network.accreditation.clone()];
    entries.extend(attestations(&mut network.registrar, 0..5, 0));
    let mut bytes = entries.concat();
    bytes.truncate(bytes.len() - 7);
    let file = d.join("cut.cbor");
    std::fs::write(&file, bytes).expect("write file");

    let node = NodeProcess::start(&d.join("node"), &network.genesis, &[]);
    let import = nansen_node(&["import", "--api", &node.addresses.api], &file);
    let out = text(&import);
    assert!(!import.status.success(), "{out}");
    assert_eq!(summary(&import, "accepted"), 5, "{out}");
    assert!(out.contains("truncated"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_over_the_entry_limit_is_named_and_nothing_after_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut network = birth_network(d, 1, 1);
    let mut entries = vec![network.accreditation.clone()];
    entries.extend(attestations(&mut network.registrar, 0..3, 0));
    // A byte string of 20,000 bytes: over the default limit of 16,384.
    let oversized =
        serde_cbor::to_vec(&serde_bytes::ByteBuf::from(vec![0u8; 20_000])).expect("cbor");
    let after = attestations(&mut network.registrar, 3..5, 0);
    let file = d.join("oversized.cbor");
    std::fs::write(
        &file,
        [entries.concat(), oversized, after.concat()].concat(),
    )
    .expect("write file");

    let node = NodeProcess::start(&d.join("node"), &network.genesis, &[]);
    let import = nansen_node(&["import", "--api", &node.addresses.api], &file);
    let out = text(&import);
    assert!(!import.status.success(), "{out}");
    assert_eq!(summary(&import, "accepted"), 4, "{out}");
    assert!(
        out.contains("item 4 (at byte") && out.contains("item_too_large"),
        "{out}"
    );
    let heads = node.heads().await;
    assert!(
        heads
            .iter()
            .any(|(a, size, _)| a == "registrar-1" && *size == 3),
        "{heads:?}"
    );
}
