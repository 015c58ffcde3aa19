//! Crash safety: a child process ingests into a real on-disk store and is
//! killed with SIGKILL at random moments; after each kill the store reopens,
//! every batch the child acknowledged is there, and every index agrees with
//! the entries (rebuilding them from the entries gives the same bytes).

use ledger::entry::Entry;
use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::store::Store;
use ledger::types::{Author, EventKind};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TOTAL: u64 = 4_000;
const BATCH: usize = 250;
const CYCLES: usize = 25;

fn network_and_entries() -> (TestNetwork, Vec<Entry>) {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, accreditation) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let mut entries = vec![accreditation];
    for n in 0..TOTAL {
        entries.push(
            reg.attest(n, EventKind::Birth, "JO", T0_MS + n)
                .expect("sign"),
        );
    }
    (net, entries)
}

fn registrar() -> Author {
    Author::parse("registrar-1").expect("author")
}

/// The child: ingest from where the store is, acknowledging each batch.
#[test]
#[ignore = "run by crash_safety_under_sigkill as a child process"]
fn crash_child_ingests_and_acknowledges() {
    let Some(dir) = std::env::var_os("NANSEN_CRASH_DIR") else {
        return;
    };
    let (net, entries) = network_and_entries();
    let mut store = Store::open(Path::new(&dir), Some(&net.genesis)).expect("open");
    let done = store.state().governance.chain.size + store.state().chain(&registrar()).size;
    for chunk in entries[done as usize..].chunks(BATCH) {
        let bytes: Vec<Vec<u8>> = chunk.iter().map(|e| e.bytes().to_vec()).collect();
        store.ingest(&bytes).expect("ingest");
        println!("ACK {}", store.state().chain(&registrar()).size);
    }
    println!("DONE");
}

fn indexes_agree_with_entries(store: &Store, net: &TestNetwork) {
    let mut rebuilt = Store::temporary(&net.genesis).expect("temporary store");
    for chunk in store.all_entries().expect("entries").chunks(1000) {
        rebuilt.ingest(chunk).expect("ingest");
    }
    assert_eq!(
        store.derived_snapshot().expect("snapshot"),
        rebuilt.derived_snapshot().expect("snapshot"),
        "indexes differ from those rebuilt from the entries"
    );
}

#[test]
fn crash_safety_under_sigkill() {
    let (net, entries) = network_and_entries();
    let dir = tempdir();
    let exe = std::env::current_exe().expect("test binary");
    let mut acknowledged = 0u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for cycle in 0..CYCLES {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_ingests_and_acknowledges",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("NANSEN_CRASH_DIR", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Usually kill some time after the first acknowledgement (mid-ingest);
        // one cycle in five, kill while the child is still starting.
        let early = seed.is_multiple_of(5);
        let extra = Duration::from_millis(seed % 300);
        let (tx, rx) = std::sync::mpsc::channel::<u64>();
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("ACK ") {
                    let n = n.parse::<u64>().unwrap_or(0);
                    acks.push(n);
                    let _ = tx.send(n);
                }
            }
            acks
        });
        if !early {
            let _ = rx.recv_timeout(Duration::from_secs(60));
        }
        let started = Instant::now();
        while started.elapsed() < extra {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let acks = reader.join().expect("reader");
        if let Some(last) = acks.last() {
            acknowledged = acknowledged.max(*last);
        }
        let store = Store::open(&dir, Some(&net.genesis)).expect("reopen after kill");
        let size = store.state().chain(&registrar()).size;
        assert!(
            size >= acknowledged,
            "cycle {cycle}: {size} entries, {acknowledged} acknowledged"
        );
        for seq in (0..acknowledged)
            .step_by(97)
            .chain(acknowledged.checked_sub(1))
        {
            let stored = store
                .entry(&registrar(), seq)
                .expect("read")
                .expect("acknowledged entry present");
            assert_eq!(stored, entries[seq as usize + 1].bytes());
        }
        if cycle % 5 == 4 || cycle == CYCLES - 1 {
            indexes_agree_with_entries(&store, &net);
        }
    }
    assert!(acknowledged > 0, "the child never acknowledged a batch");
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nansen-crash-{}-{}", std::process::id(), T0_MS));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
