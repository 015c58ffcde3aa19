//! The ledger benchmark: `cargo bench -p ledger`.
//!
//! One run, on one machine, prints one table:
//!
//! 1. raw Ed25519: `verify_strict` per second (one core), dalek
//!    `verify_batch` signatures per second for batches of 64 and 1024 (one
//!    core), and the ledger's `signing::verify_many` (strict verification
//!    spread over all cores), plus what making dalek's batch equation exact
//!    would cost per signature (why `verify_many` does not use it);
//! 2. ingest of pre-signed registrar attestations into a fresh on-disk sled
//!    store with full validation and durable group commit (one `ingest` call
//!    = one atomic batch + flush), in batches of 1,000 and 5,000, and
//!    pipelined in batches of 1,000 (the signatures of batch n + 1 checked
//!    on another thread while batch n is validated, written and flushed),
//!    against the goal of half the single-core batch-verify rate;
//! 3. inclusion-proof generation and verification per second at 1,000,000
//!    entries, random leaves, and generation at 10,000 entries;
//! 4. store bytes per entry against the raw signed-entry bytes (goal <= 2x);
//! 5. the peak resident memory of a process (this binary again, as a
//!    child) that imports all the entries from a file into a fresh store in
//!    batches of 5,000 and then serves proofs (goal < 256 MiB);
//!
//! plus a breakdown of ingest time by phase (decode, rules, signatures,
//! Merkle hashing, sled apply_batch, sled flush), each measured on its own.
//! It ends with one line per headline figure, `nansen-bench NAME VALUE`:
//! `ingest_over_batch` (the rate of `ingest` in batches of 1,000, what a
//! node runs, over the one-core `verify_batch(1024)` rate; goal >= 0.5;
//! `ingest_pipelined_over_batch` for the pipelined run), `store_over_raw` (store directory bytes over raw
//! signed-entry bytes at the proof-store size; goal <= 2.0),
//! `store_bytes_per_entry`, `proof_1m_over_10k` (proof rate at the
//! proof-store size over the rate at 10,000; goal >= 0.5) and
//! `import_peak_rss_mib`.
//!
//! Environment:
//! - `NANSEN_BENCH_SMALL=1`: a quick smoke run (20,000 ingested, 50,000 for
//!   the proof store, short timings).
//! - `NANSEN_BENCH_INGEST=n`, `NANSEN_BENCH_PROOF_N=n`: override the sizes.
//! - `NANSEN_BENCH_DIR=path`: where the temporary stores go (default: the
//!   system temporary directory); they are removed at the end.

use ledger::codec;
use ledger::credential::{CredentialRecord, CredentialState};
use ledger::entry::{Entry, EntrySignature};
use ledger::fixtures::{attestation, TestNetwork, T0_MS};
use ledger::genesis::Genesis;
use ledger::merkle::{self, Hash, SubtreeSource};
use ledger::payload::Payload;
use ledger::signing::ParallelVerifier;
use ledger::signing::{verify_many, verify_strict, SignatureCheck, ENTRY_DOMAIN};
use ledger::state::LedgerState;
use ledger::store::{CheckedSignatures, Outcome, Store};
use ledger::types::{sha256, Author, CredentialId, EventKind, RegistrarId};
use ledger::validate::{apply_entry, ImmediateVerifier, LedgerView, SignatureVerifier, Verdict};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- settings

struct Settings {
    small: bool,
    ingest_n: usize,
    proof_n: usize,
    proofs: usize,
    min_time: Duration,
    rounds: usize,
    dir: PathBuf,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
}

impl Settings {
    fn from_env() -> Self {
        let small = std::env::var("NANSEN_BENCH_SMALL").is_ok_and(|v| !v.is_empty() && v != "0");
        let ingest_n =
            env_usize("NANSEN_BENCH_INGEST").unwrap_or(if small { 20_000 } else { 200_000 });
        let proof_n = env_usize("NANSEN_BENCH_PROOF_N")
            .unwrap_or(if small { 50_000 } else { 1_000_000 })
            .max(ingest_n);
        let dir = std::env::var_os("NANSEN_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        Self {
            small,
            ingest_n,
            proof_n,
            proofs: if small { 20_000 } else { 100_000 },
            min_time: Duration::from_millis(if small { 300 } else { 800 }),
            rounds: if small { 1 } else { 3 },
            dir,
        }
    }
}

// ---------------------------------------------------------------- helpers

/// A repeatable pseudo-random sequence (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Runs `f` (which does `ops` operations per call) until `min_time` has
/// passed, `rounds` times; returns the median rate in operations per second.
fn measure(settings: &Settings, ops: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm up
    let mut rates: Vec<f64> = (0..settings.rounds)
        .map(|_| {
            let start = Instant::now();
            let mut done = 0usize;
            while start.elapsed() < settings.min_time {
                f();
                done += ops;
            }
            done as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn per_s(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn fmt_num(x: f64) -> String {
    let n = x.round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Table {
    rows: Vec<(String, String, String)>,
}

impl Table {
    fn row(&mut self, what: impl Into<String>, value: impl Into<String>, note: impl Into<String>) {
        let (what, value, note) = (what.into(), value.into(), note.into());
        println!("  {what:<62} {value:>14}  {note}");
        self.rows.push((what, value, note));
    }
    fn section(&mut self, title: &str) {
        println!("{title}");
        self.rows
            .push((format!("## {title}"), String::new(), String::new()));
    }
    fn print(&self) {
        let w = self.rows.iter().map(|r| r.0.len()).max().unwrap_or(10);
        println!();
        println!("==================== Nansen ledger benchmark ====================");
        for (what, value, note) in &self.rows {
            if let Some(title) = what.strip_prefix("## ") {
                println!("{title}");
            } else {
                println!("  {what:<w$} {value:>14}  {note}");
            }
        }
    }
}

/// A directory for one store, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(base: &Path, tag: &str) -> Self {
        let path = base.join(format!("nansen-bench-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create bench directory");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    if let Ok(rd) = std::fs::read_dir(path) {
        for e in rd.flatten() {
            let Ok(md) = e.metadata() else { continue };
            total += if md.is_dir() {
                dir_size(&e.path())
            } else {
                md.len()
            };
        }
    }
    total
}

// ---------------------------------------------------------------- fixtures

/// A test network with one registrar and `n` pre-signed attestations.
struct Workload {
    genesis: Genesis,
    accreditation: Vec<u8>,
    author: Author,
    registrar: RegistrarId,
    /// Signed attestation entries, seq 0..n, exactly as the registrar sends them.
    entries: Vec<Vec<u8>>,
}

/// Credential ids are random on a real ledger (the fixtures count): use a
/// pseudo-random id so the store's credential index sees random keys.
fn bench_credential_id(i: u64) -> CredentialId {
    let h = sha256(&[b"nansen-bench-credential".as_slice(), &i.to_be_bytes()].concat());
    CredentialId(h.0[..16].try_into().expect("16 bytes"))
}

/// Attestation `i` of the workload: the fixture's, with a random-looking id.
fn bench_attestation(i: u64) -> ledger::payload::Attestation {
    let mut a = attestation(i, EventKind::Birth, "JO");
    a.credential_id = bench_credential_id(i);
    a
}

fn attestation_time(i: u64) -> u64 {
    T0_MS + 1_000 + i
}

/// Signs `n` attestations of registrar 1. Bodies are built in chain order
/// (each names the previous body's hash), then signed on every core.
fn build_workload(n: usize) -> Workload {
    let mut net = TestNetwork::new(3, 2);
    let (mut reg, acc) = net
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    let author = Author::Registrar(reg.id.clone());
    let mut bodies = Vec::with_capacity(n);
    for i in 0..n as u64 {
        let body = reg.writer.next_body(
            Payload::Attest(bench_attestation(i)),
            attestation_time(i),
            reg.governance_size,
        );
        let body_bytes = codec::encode(&body).expect("encode body");
        reg.writer.advance_body_bytes(&body_bytes);
        bodies.push(body_bytes);
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let per = n.div_ceil(threads).max(1);
    let seed = reg.key.seed();
    let entries: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = bodies
            .chunks(per)
            .map(|chunk| {
                std::thread::Builder::new()
                    .name("signer".into())
                    .spawn_scoped(s, move || {
                        let key = ledger::signing::KeyPair::from_seed(&seed);
                        chunk
                            .iter()
                            .map(|b| {
                                let sig = EntrySignature {
                                    key: key.public(),
                                    signature: key.sign(ENTRY_DOMAIN, b),
                                };
                                Entry::from_parts(b.clone(), vec![sig])
                                    .expect("assemble")
                                    .into_bytes()
                            })
                            .collect::<Vec<_>>()
                    })
                    .expect("spawn signer")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("signer thread"))
            .collect()
    });
    // The shortcut must give exactly what the fixture API gives.
    let mut net2 = TestNetwork::new(3, 2);
    let (mut reg2, acc2) = net2
        .accredit(1, &[EventKind::Birth], &["JO"])
        .expect("accredit");
    assert_eq!(acc.bytes(), acc2.bytes());
    for (i, e) in entries.iter().take(3).enumerate() {
        let again = reg2
            .append(
                Payload::Attest(bench_attestation(i as u64)),
                attestation_time(i as u64),
            )
            .expect("attest");
        assert_eq!(
            &again.bytes(),
            e,
            "pre-signed entry {i} differs from TestRegistrar::attest"
        );
    }
    Workload {
        genesis: net.genesis.clone(),
        accreditation: acc.into_bytes(),
        author,
        registrar: reg.id,
        entries,
    }
}

// ---------------------------------------------------------------- ingest

struct IngestRun {
    store: Store,
    dir: TempDir,
    secs: f64,
    batch_secs: Vec<f64>,
}

/// Opens a fresh store, ingests the accreditation, then `entries` in
/// batches of `batch` (timed); every entry must be accepted.
fn ingest_fresh(
    settings: &Settings,
    w: &Workload,
    entries: &[Vec<u8>],
    batch: usize,
    tag: &str,
) -> IngestRun {
    let dir = TempDir::new(&settings.dir, tag);
    let mut store = Store::open(&dir.0.join("db"), Some(&w.genesis)).expect("open store");
    let r = store
        .ingest(&[&w.accreditation])
        .expect("ingest accreditation");
    assert_eq!(r[0].outcome, Outcome::Accepted, "accreditation");
    let (secs, batch_secs) = ingest_more(&mut store, entries, batch);
    IngestRun {
        store,
        dir,
        secs,
        batch_secs,
    }
}

fn ingest_more(store: &mut Store, entries: &[Vec<u8>], batch: usize) -> (f64, Vec<f64>) {
    let mut batch_secs = Vec::with_capacity(entries.len() / batch + 1);
    let start = Instant::now();
    for chunk in entries.chunks(batch) {
        let t = Instant::now();
        let results = store.ingest(chunk).expect("ingest");
        batch_secs.push(t.elapsed().as_secs_f64());
        if let Some(bad) = results.iter().find(|r| r.outcome != Outcome::Accepted) {
            panic!("entry not accepted: {bad:?}");
        }
    }
    (start.elapsed().as_secs_f64(), batch_secs)
}

/// As [`ingest_more`], pipelined: the signatures of batch n + 1 are checked
/// on another thread ([`CheckedSignatures::check`], all cores) while batch n
/// is validated, applied and flushed; each batch is then validated with
/// [`Store::prepare_checked`]. Same outcomes as `ingest`.
fn ingest_pipelined(store: &mut Store, entries: &[Vec<u8>], batch: usize) -> (f64, Vec<f64>) {
    let max = store.genesis().limits.max_entry_bytes as usize;
    let chunks: Vec<&[Vec<u8>]> = entries.chunks(batch).collect();
    let mut batch_secs = Vec::with_capacity(chunks.len());
    let start = Instant::now();
    let mut checked = chunks
        .first()
        .map(|c| CheckedSignatures::check(c, max, &ParallelVerifier))
        .unwrap_or_default();
    for (i, chunk) in chunks.iter().enumerate() {
        let t = Instant::now();
        let next = chunks.get(i + 1).copied();
        let (results, next_checked) = std::thread::scope(|s| {
            let ahead = s.spawn(move || {
                next.map(|n| CheckedSignatures::check(n, max, &ParallelVerifier))
                    .unwrap_or_default()
            });
            let prepared = store
                .prepare_checked(chunk, usize::MAX, &checked)
                .expect("prepare");
            let results = store.apply_prepared(prepared).expect("apply");
            store.flush().expect("flush");
            (results, ahead.join().expect("signature thread"))
        });
        batch_secs.push(t.elapsed().as_secs_f64());
        if let Some(bad) = results.iter().find(|r| r.outcome != Outcome::Accepted) {
            panic!("entry not accepted: {bad:?}");
        }
        checked = next_checked;
    }
    (start.elapsed().as_secs_f64(), batch_secs)
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Generates `count` inclusion proofs of random leaves of `author`'s chain
/// at its full size; returns (leaf indexes, proofs, proofs per second).
fn time_proofs(store: &Store, author: &Author, count: usize) -> (Vec<u64>, Vec<Vec<Hash>>, f64) {
    let size = store.state().chain(author).size;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let idx: Vec<u64> = (0..count).map(|_| rng.below(size)).collect();
    let t = Instant::now();
    let proofs: Vec<Vec<Hash>> = idx
        .iter()
        .map(|&i| {
            store
                .inclusion_proof(author, i, size)
                .expect("inclusion proof")
                .into_iter()
                .map(|h| h.0)
                .collect()
        })
        .collect();
    let rate = count as f64 / t.elapsed().as_secs_f64();
    (idx, proofs, rate)
}

/// The peak and current resident set of this process, in MiB (Linux).
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The child process of the RSS measurement (`NANSEN_BENCH_RSS_CHILD` names
/// a file of length-prefixed entries, the accreditation first): opens a
/// fresh store, ingests the file in batches of `NANSEN_BENCH_RSS_BATCH`
/// entries (default 4,096, what `nansen-node import` posts at a time) read
/// one batch at a time, serves 10,000 proofs, and prints its peak resident
/// set. Only the store and one batch are in memory, as in a node importing
/// a file.
fn rss_child(file: &Path) {
    use std::io::Read;
    let batch_entries = env_usize("NANSEN_BENCH_RSS_BATCH").unwrap_or(4096).max(1);
    let genesis_path = file.with_extension("genesis");
    let genesis =
        Genesis::from_bytes(&std::fs::read(&genesis_path).expect("read genesis")).expect("genesis");
    let dir = file.with_extension("db");
    let mut store = Store::open(&dir, Some(&genesis)).expect("open store");
    let mut input = std::io::BufReader::new(std::fs::File::open(file).expect("open entries"));
    let mut author = None;
    let (mut n, mut peak_ingest) = (0usize, 0.0f64);
    loop {
        let mut batch = Vec::with_capacity(batch_entries);
        while batch.len() < batch_entries {
            let mut len = [0u8; 4];
            if input.read_exact(&mut len).is_err() {
                break;
            }
            let mut e = vec![0u8; u32::from_be_bytes(len) as usize];
            input.read_exact(&mut e).expect("read entry");
            batch.push(e);
        }
        if batch.is_empty() {
            break;
        }
        for r in store.ingest(&batch).expect("ingest") {
            assert_eq!(r.outcome, Outcome::Accepted, "entry not accepted");
            if let Some((a, _, _)) = r.entry {
                author = Some(a);
            }
        }
        n += batch.len();
        peak_ingest = peak_ingest.max(rss_mib().1);
    }
    let author = author.expect("entries");
    let (_, _, rate) = time_proofs(&store, &author, 10_000);
    let (hwm, now) = rss_mib();
    println!("rss-child {n} {peak_ingest:.1} {hwm:.1} {now:.1} {rate:.0}");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs [`rss_child`] in a new process of this binary over `entries`;
/// returns (entries ingested, peak RSS sampled while ingesting, VmHWM,
/// RSS at the end, proofs/s), in MiB.
fn measure_rss(
    settings: &Settings,
    w: &Workload,
    entries: &[Vec<u8>],
) -> Option<(f64, f64, f64, f64)> {
    use std::io::Write;
    let dir = TempDir::new(&settings.dir, "rss");
    let file = dir.0.join("entries.bin");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).ok()?);
        for e in std::iter::once(&w.accreditation).chain(entries) {
            out.write_all(&(e.len() as u32).to_be_bytes()).ok()?;
            out.write_all(e).ok()?;
        }
        out.flush().ok()?;
    }
    std::fs::write(file.with_extension("genesis"), w.genesis.to_bytes().ok()?).ok()?;
    let output = std::process::Command::new(std::env::current_exe().ok()?)
        .env("NANSEN_BENCH_RSS_CHILD", &file)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("rss-child "))?;
    let f: Vec<f64> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
    (f.len() == 5).then(|| (f[1], f[2], f[3], f[4]))
}

// ---------------------------------------------------------------- phases

/// An in-memory view for timing the rules alone.
#[derive(Default)]
struct MemView {
    credentials: HashSet<CredentialId>,
}

impl LedgerView for MemView {
    type Error = std::convert::Infallible;
    fn entry_bytes(&self, _: &Author, _: u64) -> Result<Option<Vec<u8>>, Self::Error> {
        Ok(None)
    }
    fn credential(
        &self,
        id: &CredentialId,
        registrar: &RegistrarId,
    ) -> Result<Option<CredentialRecord>, Self::Error> {
        Ok(self.credentials.contains(id).then(|| CredentialRecord {
            registrar: registrar.clone(),
            seq: 0,
            state: CredentialState::Active,
            replaces: None,
        }))
    }
}

struct Accept;

impl SignatureVerifier for Accept {
    fn verify(
        &mut self,
        _: &ledger::types::PublicKeyBytes,
        _: &Entry,
        _: &ledger::types::SignatureBytes,
    ) -> bool {
        true
    }
}

#[derive(Default)]
struct MemTree {
    leaves: Vec<Hash>,
    nodes: HashMap<(u8, u64), Hash>,
}

impl SubtreeSource for MemTree {
    type Error = ();
    fn subtree(&self, level: u8, index: u64) -> Result<Hash, ()> {
        if level == 0 {
            self.leaves.get(index as usize).copied().ok_or(())
        } else {
            self.nodes.get(&(level, index)).copied().ok_or(())
        }
    }
}

struct Phases {
    decode: f64,
    rules: f64,
    verify: f64,
    merkle: f64,
    sled_apply: f64,
    sled_flush: f64,
    sled_get_miss: f64,
}

/// Times each phase of ingest on its own, over the same entries, in
/// batches of `batch`. The sled phases replay exactly the key/value pairs
/// the real store holds, grouped by the batch that wrote them.
fn phases(
    settings: &Settings,
    w: &Workload,
    entries: &[Vec<u8>],
    batch: usize,
    kvs: &[(Vec<u8>, Vec<u8>)],
) -> Phases {
    let max = w.genesis.limits.max_entry_bytes as usize;
    // decode
    let t = Instant::now();
    let decoded: Vec<Entry> = entries
        .iter()
        .map(|b| Entry::decode(b, max).expect("decode"))
        .collect();
    let decode = t.elapsed().as_secs_f64();
    // rules (no signature check, in-memory view) + credential record encoding
    let mut state = LedgerState::new(
        w.genesis.clone(),
        w.genesis.network_id().expect("network id"),
    );
    let acc = Entry::decode(&w.accreditation, max).expect("decode accreditation");
    let mut view = MemView::default();
    assert!(matches!(
        apply_entry(&mut state, &view, &mut ImmediateVerifier, &acc),
        Ok(Verdict::Accepted(_))
    ));
    let t = Instant::now();
    for chunk in decoded.chunks(batch) {
        let mut attempt = state.clone();
        for e in chunk {
            match apply_entry(&mut attempt, &view, &mut Accept, e) {
                Ok(Verdict::Accepted(a)) => {
                    for u in &a.credentials {
                        std::hint::black_box(codec::encode(&u.record).expect("encode record"));
                        view.credentials.insert(u.id);
                    }
                }
                other => panic!("rules refused entry: {other:?}"),
            }
        }
        std::hint::black_box(codec::encode(&attempt).expect("encode state"));
        state = attempt;
    }
    let rules = t.elapsed().as_secs_f64();
    // signatures, as ingest checks them (verify_many per batch)
    let t = Instant::now();
    for chunk in decoded.chunks(batch) {
        let checks: Vec<SignatureCheck<'_>> = chunk
            .iter()
            .map(|e| SignatureCheck {
                key: e.signatures()[0].key,
                domain: ENTRY_DOMAIN,
                message: e.body_bytes(),
                signature: e.signatures()[0].signature,
            })
            .collect();
        assert!(verify_many(&checks).into_iter().all(|ok| ok));
    }
    let verify = t.elapsed().as_secs_f64();
    // Merkle: leaf hashes and completed subtrees, in memory
    let t = Instant::now();
    let mut tree = MemTree::default();
    for (i, e) in decoded.iter().enumerate() {
        let leaf = e.leaf_hash().0;
        tree.leaves.push(leaf);
        for (level, index, hash) in
            merkle::appended_subtrees(&tree, i as u64, leaf).expect("append")
        {
            if level > 0 {
                tree.nodes.insert((level, index), hash);
            }
        }
    }
    let merkle_secs = t.elapsed().as_secs_f64();
    drop(decoded);
    // sled: replay the store's key/value pairs, batch by batch
    let id_seq: HashMap<[u8; 16], u64> = (0..entries.len() as u64)
        .map(|i| (bench_credential_id(i).0, i))
        .collect();
    let batches = entries.len().div_ceil(batch);
    let mut grouped: Vec<Vec<(&[u8], &[u8])>> = vec![Vec::new(); batches];
    let mut meta: Vec<(&[u8], &[u8])> = Vec::new();
    for (k, v) in kvs {
        let tail_u64 = |b: &[u8]| -> Option<u64> {
            Some(u64::from_be_bytes(
                b.get(b.len().checked_sub(8)?..)?.try_into().ok()?,
            ))
        };
        let registrar_key = |k: &[u8]| {
            k.windows(w.registrar.as_str().len())
                .any(|x| x == w.registrar.as_str().as_bytes())
        };
        let seq: Option<u64> = match k.first() {
            Some(b'b' | b'l') if registrar_key(k) => {
                tail_u64(k).map(|block| block * ledger::store::blocks::ENTRIES_PER_BLOCK)
            }
            Some(b'h') if v.starts_with(w.registrar.as_str().as_bytes()) => tail_u64(v),
            Some(b'c') => k
                .get(1..17)
                .and_then(|b| <[u8; 16]>::try_from(b).ok())
                .and_then(|id| id_seq.get(&id).copied()),
            Some(b'm') if registrar_key(k) && k.len() >= 9 => {
                let level = k[k.len() - 9];
                tail_u64(k).map(|index| ((index + 1) << level) - 1)
            }
            Some(b'M') => {
                meta.push((k, v));
                None
            }
            _ => Some(0),
        };
        if let Some(seq) = seq {
            grouped[(seq as usize / batch).min(batches - 1)].push((k, v));
        }
    }
    let dir = TempDir::new(&settings.dir, "replay");
    let db = sled::Config::new()
        .path(dir.0.join("db"))
        .cache_capacity(256 * 1024 * 1024)
        .open()
        .expect("open sled");
    let (mut apply, mut flush) = (0.0, 0.0);
    for group in grouped {
        let mut b = sled::Batch::default();
        for (k, v) in group.into_iter().chain(meta.iter().copied()) {
            b.insert(k, v);
        }
        let t = Instant::now();
        db.apply_batch(b).expect("apply_batch");
        apply += t.elapsed().as_secs_f64();
        let t = Instant::now();
        db.flush().expect("flush");
        flush += t.elapsed().as_secs_f64();
    }
    // the reads validation makes that miss (a credential id not yet held)
    let t = Instant::now();
    for i in 0..entries.len() as u64 {
        let mut k = vec![b'c'];
        k.extend_from_slice(&bench_credential_id(i + (1 << 40)).0);
        k.extend_from_slice(w.registrar.as_str().as_bytes());
        assert!(db.get(&k).expect("get").is_none());
    }
    let sled_get_miss = t.elapsed().as_secs_f64();
    Phases {
        decode,
        rules,
        verify,
        merkle: merkle_secs,
        sled_apply: apply,
        sled_flush: flush,
        sled_get_miss,
    }
}

// ---------------------------------------------------------------- main

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    if let Some(file) = std::env::var_os("NANSEN_BENCH_RSS_CHILD") {
        rss_child(Path::new(&file));
        return;
    }
    let settings = Settings::from_env();
    if std::env::var_os("NANSEN_BENCH_RSS_ONLY").is_some() {
        // Section 5 alone, over the proof-store size (a quick look at memory).
        let w = build_workload(settings.proof_n);
        println!("{:?}", measure_rss(&settings, &w, &w.entries));
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    println!(
        "Nansen ledger benchmark: {} mode, {} core(s) available, ingest N = {}, proof store N = {}, stores under {}",
        if settings.small { "SMALL (smoke)" } else { "full" },
        threads,
        settings.ingest_n,
        settings.proof_n,
        settings.dir.display()
    );
    let mut table = Table { rows: Vec::new() };
    let loadavg = || {
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let load_start = loadavg();
    println!("load average at start: {load_start}");
    let run_start = Instant::now();

    // Workload: every entry is signed before anything is timed.
    let t = Instant::now();
    let w = build_workload(settings.proof_n);
    let sign_secs = t.elapsed().as_secs_f64();
    let raw_bytes_per_entry =
        w.entries.iter().map(Vec::len).sum::<usize>() as f64 / w.entries.len() as f64;
    println!(
        "pre-signed {} attestations in {:.1} s on {} thread(s); signed entry {:.1} bytes on average",
        w.entries.len(),
        sign_secs,
        threads,
        raw_bytes_per_entry
    );

    // ---- 1. raw Ed25519
    table.section("1. Raw Ed25519 (entry-sized messages: ENTRY_DOMAIN || body)");
    let sample: Vec<Entry> = w.entries[..4096.min(w.entries.len())]
        .iter()
        .map(|b| Entry::decode(b, usize::MAX).expect("decode"))
        .collect();
    let messages: Vec<Vec<u8>> = sample
        .iter()
        .map(|e| [ENTRY_DOMAIN, e.body_bytes()].concat())
        .collect();
    let vkey =
        ed25519_dalek::VerifyingKey::from_bytes(&sample[0].signatures()[0].key.0).expect("key");
    let sigs: Vec<ed25519_dalek::Signature> = sample
        .iter()
        .map(|e| ed25519_dalek::Signature::from_bytes(&e.signatures()[0].signature.0))
        .collect();
    let mut i = 0usize;
    let strict = measure(&settings, 1, || {
        let k = i % messages.len();
        i += 1;
        assert!(vkey.verify_strict(&messages[k], &sigs[k]).is_ok());
    });
    table.row(
        "ed25519_dalek verify_strict, 1 core",
        fmt_num(strict),
        "sig/s",
    );
    let mut i = 0usize;
    let ledger_strict = measure(&settings, 1, || {
        let e = &sample[i % sample.len()];
        i += 1;
        assert!(verify_strict(
            &e.signatures()[0].key,
            ENTRY_DOMAIN,
            e.body_bytes(),
            &e.signatures()[0].signature
        )
        .is_ok());
    });
    table.row(
        "ledger::signing::verify_strict (adds prefix copy), 1 core",
        fmt_num(ledger_strict),
        "sig/s",
    );
    let mut batch_rates = Vec::new();
    for n in [64usize, 1024] {
        let refs: Vec<&[u8]> = messages[..n].iter().map(Vec::as_slice).collect();
        let keys = vec![vkey; n];
        let rate = measure(&settings, n, || {
            assert!(ed25519_dalek::verify_batch(&refs, &sigs[..n], &keys).is_ok());
        });
        table.row(
            format!("ed25519_dalek verify_batch, batch {n}, 1 core"),
            fmt_num(rate),
            "sig/s",
        );
        batch_rates.push(rate);
    }
    let batch1024 = batch_rates[1];
    let checks: Vec<SignatureCheck<'_>> = sample
        .iter()
        .map(|e| SignatureCheck {
            key: e.signatures()[0].key,
            domain: ENTRY_DOMAIN,
            message: e.body_bytes(),
            signature: e.signatures()[0].signature,
        })
        .collect();
    for (n, note) in [
        (100usize, "1 thread (below its 128 threshold)"),
        (1000, "all cores; = one ingest batch of 1,000"),
        (4096, "all cores"),
    ] {
        let n = n.min(checks.len());
        let rate = measure(&settings, n, || {
            assert!(verify_many(&checks[..n]).into_iter().all(|ok| ok));
        });
        table.row(
            format!("ledger::signing::verify_many, {n} sigs"),
            fmt_num(rate),
            format!("sig/s  {note}"),
        );
    }
    drop(checks);

    // ---- 1b. what an exact (strict-equivalent) batch would add per signature
    table.section(
        "1b. checks an exact batch would need per signature, 1 core (why verify_many does not batch)",
    );
    {
        use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
        use curve25519_dalek::scalar::Scalar;
        use curve25519_dalek::traits::IsIdentity;
        let rs: Vec<[u8; 32]> = sample
            .iter()
            .map(|e| e.signatures()[0].signature.0[..32].try_into().expect("R"))
            .collect();
        let points: Vec<EdwardsPoint> = rs
            .iter()
            .map(|r| CompressedEdwardsY(*r).decompress().expect("R decompresses"))
            .collect();
        let l_minus_one = Scalar::ZERO - Scalar::ONE;
        let mut i = 0usize;
        let mut next = || {
            i += 1;
            i % points.len()
        };
        let decompress = measure(&settings, 1, || {
            std::hint::black_box(CompressedEdwardsY(rs[next()]).decompress());
        });
        table.row("R decompress", fmt_num(decompress), "per s");
        let compress = measure(&settings, 1, || {
            std::hint::black_box(points[next()].compress());
        });
        table.row(
            "R compress (canonical-encoding check)",
            fmt_num(compress),
            "per s",
        );
        let small = measure(&settings, 1, || {
            std::hint::black_box(points[next()].is_small_order());
        });
        table.row("R is_small_order", fmt_num(small), "per s");
        let torsion = measure(&settings, 1, || {
            std::hint::black_box(points[next()].is_torsion_free());
        });
        table.row(
            "R is_torsion_free (constant-time [L]R)",
            fmt_num(torsion),
            "per s",
        );
        let vartime = measure(&settings, 1, || {
            let p = points[next()];
            let lp =
                EdwardsPoint::vartime_double_scalar_mul_basepoint(&l_minus_one, &p, &Scalar::ZERO)
                    + p;
            assert!(std::hint::black_box(lp).is_identity());
        });
        table.row(
            "  alternative: vartime [L-1]R + R == identity",
            fmt_num(vartime),
            "per s (same answer, public data)",
        );
        let key = sample[0].signatures()[0].key.0;
        let akey = measure(&settings, 1, || {
            let k =
                ed25519_dalek::VerifyingKey::from_bytes(std::hint::black_box(&key)).expect("key");
            std::hint::black_box(k.is_weak());
        });
        table.row(
            "A VerifyingKey::from_bytes + is_weak (every signature)",
            fmt_num(akey),
            "per s",
        );
        let us = |rate: f64| 1e6 / rate;
        let pre = us(decompress) + us(compress) + us(small) + us(torsion) + us(akey);
        table.row(
            "precheck total per signature",
            format!("{pre:.1} us"),
            format!(
                "vs {:.1} us per signature in verify_batch(1024): an exact batch would top out at {} sig/s per core",
                us(batch1024),
                fmt_num(1e6 / (pre + us(batch1024)))
            ),
        );
    }

    // ---- 2. ingest
    table.section(&format!(
        "2. Ingest {} pre-signed attestations, fresh on-disk sled store, full validation, flush per batch",
        settings.ingest_n
    ));
    let ingest_entries = &w.entries[..settings.ingest_n];
    let target = batch1024 / 2.0;
    // batch 5,000 first, on its own store
    let run5k = ingest_fresh(&settings, &w, ingest_entries, 5_000, "ingest5k");
    let rate5k = per_s(settings.ingest_n, Duration::from_secs_f64(run5k.secs));
    table.row(
        "ingest, batches of 5,000",
        fmt_num(rate5k),
        format!(
            "entries/s  ({:.1} s; batch p50 {:.0} ms, p99 {:.0} ms)",
            run5k.secs,
            percentile(&run5k.batch_secs, 0.5) * 1e3,
            percentile(&run5k.batch_secs, 0.99) * 1e3
        ),
    );
    // bytes of the 200k store, from the 5k-batch run
    run5k.store.flush().expect("flush");
    let mut kvs: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut kv_bytes = 0usize;
    let mut prefix_bytes: std::collections::BTreeMap<u8, (usize, usize)> = Default::default();
    for kv in run5k.store.raw_entries() {
        let (k, v) = kv.expect("raw entry");
        kv_bytes += k.len() + v.len();
        let p = prefix_bytes.entry(k[0]).or_default();
        p.0 += 1;
        p.1 += k.len() + v.len();
        kvs.push((k, v));
    }
    let disk_200k = run5k.store.size_on_disk().expect("size on disk");
    let dir_200k = dir_size(&run5k.dir.0);
    drop(run5k);

    let run1k = ingest_fresh(&settings, &w, ingest_entries, 1_000, "ingest1k");
    let rate1k = per_s(settings.ingest_n, Duration::from_secs_f64(run1k.secs));
    table.row(
        "ingest, batches of 1,000",
        fmt_num(rate1k),
        format!(
            "entries/s  ({:.1} s; batch p50 {:.1} ms, p99 {:.1} ms)",
            run1k.secs,
            percentile(&run1k.batch_secs, 0.5) * 1e3,
            percentile(&run1k.batch_secs, 0.99) * 1e3
        ),
    );
    let piped = {
        let dir = TempDir::new(&settings.dir, "ingestpiped");
        let mut store = Store::open(&dir.0.join("db"), Some(&w.genesis)).expect("open store");
        let r = store
            .ingest(&[&w.accreditation])
            .expect("ingest accreditation");
        assert_eq!(r[0].outcome, Outcome::Accepted, "accreditation");
        ingest_pipelined(&mut store, ingest_entries, 1_000)
    };
    let rate_piped = per_s(settings.ingest_n, Duration::from_secs_f64(piped.0));
    table.row(
        "ingest pipelined (signatures of batch n+1 during write of n), batches of 1,000",
        fmt_num(rate_piped),
        format!(
            "entries/s  ({:.1} s; batch p50 {:.1} ms, p99 {:.1} ms)",
            piped.0,
            percentile(&piped.1, 0.5) * 1e3,
            percentile(&piped.1, 0.99) * 1e3
        ),
    );
    table.row(
        "target: half the 1-core verify_batch(1024) rate",
        fmt_num(target),
        "entries/s",
    );
    table.row(
        "ratio ingest / target, batches of 1,000",
        format!("{:.2}x", rate1k / target),
        if rate1k >= target {
            "MEETS goal (>= 1.0)"
        } else {
            "BELOW goal (>= 1.0)"
        },
    );
    table.row(
        "ratio ingest / target, batches of 5,000",
        format!("{:.2}x", rate5k / target),
        if rate5k >= target {
            "MEETS goal (>= 1.0)"
        } else {
            "BELOW goal (>= 1.0)"
        },
    );

    // ---- phases (same entries, batches of 1,000)
    table.section(&format!(
        "2b. Ingest phases, timed one by one over the same {} entries, batches of 1,000",
        settings.ingest_n
    ));
    let ph = phases(&settings, &w, ingest_entries, 1_000, &kvs);
    drop(kvs);
    let total = run1k.secs;
    let mut row = |name: &str, secs: f64| {
        table.row(
            name,
            format!("{:.2} s", secs),
            format!(
                "{:>5.1}% of ingest; {} entries/s alone",
                secs / total * 100.0,
                fmt_num(settings.ingest_n as f64 / secs)
            ),
        );
    };
    row(
        "decode (Entry::decode, canonical re-encode check)",
        ph.decode,
    );
    row(
        "rules (apply_entry, in-memory view) + record/state encode",
        ph.rules,
    );
    row("signatures (verify_many per batch, all cores)", ph.verify);
    row(
        "Merkle (leaf hash + completed subtrees, in memory)",
        ph.merkle,
    );
    row(
        "sled apply_batch (same key/values, same batches)",
        ph.sled_apply,
    );
    row("sled flush (one per batch)", ph.sled_flush);
    row(
        "sled get misses (one credential lookup per entry)",
        ph.sled_get_miss,
    );
    let sum = ph.decode
        + ph.rules
        + ph.verify
        + ph.merkle
        + ph.sled_apply
        + ph.sled_flush
        + ph.sled_get_miss;
    row("sum of the phases above", sum);
    row(
        "rest (overlay, copies, reads through overlay/sled, ...)",
        (total - sum).max(0.0),
    );

    // ---- 3. proofs at proof_n
    table.section(&format!(
        "3. Inclusion proofs at {} entries, random leaves",
        settings.proof_n
    ));
    let mut store = run1k.store;
    let _dir1m = run1k.dir;
    let grow = &w.entries[settings.ingest_n..];
    let grow_secs = if grow.is_empty() {
        0.0
    } else {
        ingest_more(&mut store, grow, 5_000).0
    };
    let build_secs = run1k.secs + grow_secs;
    table.row(
        format!(
            "build the {}-entry store (batches 1,000 then 5,000)",
            settings.proof_n
        ),
        format!("{build_secs:.1} s"),
        format!(
            "{} entries/s overall; growth {}..{} at {} entries/s",
            fmt_num(settings.proof_n as f64 / build_secs),
            settings.ingest_n,
            settings.proof_n,
            if grow_secs > 0.0 {
                fmt_num(grow.len() as f64 / grow_secs)
            } else {
                "-".into()
            }
        ),
    );
    store.flush().expect("flush");
    let size = store.state().chain(&w.author).size;
    assert_eq!(size, settings.proof_n as u64);
    let root = store.root(&w.author, size).expect("root").0;
    let (idx, proofs, proof_rate) = time_proofs(&store, &w.author, settings.proofs);
    table.row(
        "inclusion_proof generation, 1 thread",
        fmt_num(proof_rate),
        format!(
            "proofs/s  ({} proofs, {} hashes each)",
            settings.proofs,
            proofs[0].len()
        ),
    );
    let proof_rate_10k = {
        let small = ingest_fresh(
            &settings,
            &w,
            &w.entries[..10_000.min(w.entries.len())],
            5_000,
            "proof10k",
        );
        time_proofs(&small.store, &w.author, settings.proofs).2
    };
    table.row(
        "inclusion_proof generation at 10,000 entries, 1 thread",
        fmt_num(proof_rate_10k),
        format!(
            "proofs/s  (rate at {} over rate at 10,000: {:.2}; goal >= 0.5)",
            settings.proof_n,
            proof_rate / proof_rate_10k
        ),
    );
    let leaves: Vec<Hash> = idx
        .iter()
        .map(|&i| {
            Entry::decode(&w.entries[i as usize], usize::MAX)
                .expect("decode")
                .leaf_hash()
                .0
        })
        .collect();
    let t = Instant::now();
    for ((i, p), leaf) in idx.iter().zip(&proofs).zip(&leaves) {
        merkle::verify_inclusion(leaf, *i, size, p, &root).expect("proof verifies");
    }
    let ver_secs = t.elapsed().as_secs_f64();
    table.row(
        "verify_inclusion (leaf hash given), 1 thread",
        fmt_num(settings.proofs as f64 / ver_secs),
        "proofs/s",
    );
    let t = Instant::now();
    for (i, p) in idx.iter().zip(&proofs) {
        let e = Entry::decode(&w.entries[*i as usize], usize::MAX).expect("decode");
        merkle::verify_inclusion(&e.leaf_hash().0, *i, size, p, &root).expect("proof verifies");
    }
    let ver2_secs = t.elapsed().as_secs_f64();
    table.row(
        "decode entry + leaf hash + verify_inclusion, 1 thread",
        fmt_num(settings.proofs as f64 / ver2_secs),
        "proofs/s",
    );

    // ---- 4. bytes
    table.section("4. Store bytes per entry vs raw signed-entry bytes");
    table.row(
        "raw signed entry",
        format!("{raw_bytes_per_entry:.1} B"),
        "per entry (CBOR, 1 signature)",
    );
    let n200 = settings.ingest_n as f64;
    table.row(
        format!("sum of key+value lengths, {} store", settings.ingest_n),
        format!("{:.1} B", kv_bytes as f64 / n200),
        format!(
            "per entry = {:.2}x raw",
            kv_bytes as f64 / n200 / raw_bytes_per_entry
        ),
    );
    for (p, (count, bytes)) in &prefix_bytes {
        table.row(
            format!("  of which '{}' keys ({} keys)", *p as char, count),
            format!("{:.1} B", *bytes as f64 / n200),
            "per entry",
        );
    }
    table.row(
        format!("sled size_on_disk after flush, {} store", settings.ingest_n),
        format!("{:.1} B", disk_200k as f64 / n200),
        format!(
            "per entry = {:.2}x raw (goal <= 2x); directory {:.1} B/entry",
            disk_200k as f64 / n200 / raw_bytes_per_entry,
            dir_200k as f64 / n200
        ),
    );
    let disk_1m = store.size_on_disk().expect("size on disk");
    let mut kv_1m = 0usize;
    for kv in store.raw_entries() {
        let (k, v) = kv.expect("raw entry");
        kv_1m += k.len() + v.len();
    }
    let n1m = settings.proof_n as f64;
    table.row(
        format!("sum of key+value lengths, {} store", settings.proof_n),
        format!("{:.1} B", kv_1m as f64 / n1m),
        format!(
            "per entry = {:.2}x raw",
            kv_1m as f64 / n1m / raw_bytes_per_entry
        ),
    );
    table.row(
        format!("sled size_on_disk after flush, {} store", settings.proof_n),
        format!("{:.1} B", disk_1m as f64 / n1m),
        format!(
            "per entry = {:.2}x raw (goal <= 2x); directory {:.1} B/entry",
            disk_1m as f64 / n1m / raw_bytes_per_entry,
            dir_size(&_dir1m.0) as f64 / n1m
        ),
    );
    drop(store);
    let dir_1m = dir_size(&_dir1m.0);
    drop(_dir1m);

    // ---- 5. memory of a process holding the store
    table.section(&format!(
        "5. Resident memory of a process importing {} entries from a file (batches of {}) then serving proofs",
        settings.proof_n,
        env_usize("NANSEN_BENCH_RSS_BATCH").unwrap_or(4096)
    ));
    let rss = measure_rss(&settings, &w, &w.entries);
    match rss {
        Some((during, hwm, end, rate)) => {
            table.row(
                "peak RSS (VmHWM)",
                format!("{hwm:.0} MiB"),
                format!("goal < 256 MiB; sampled after each batch: max {during:.0} MiB; at the end {end:.0} MiB; {} proofs/s", fmt_num(rate)),
            );
        }
        None => table.row(
            "peak RSS (VmHWM)",
            "failed",
            "the child process did not report",
        ),
    }

    table.print();
    let raw_total = (w.entries.iter().map(Vec::len).sum::<usize>()) as f64;
    println!();
    println!("nansen-bench ingest_per_s {rate1k:.0}");
    println!("nansen-bench batch_verify_per_s {batch1024:.0}");
    println!("nansen-bench ingest_over_batch {:.3}", rate1k / batch1024);
    println!(
        "nansen-bench ingest_pipelined_over_batch {:.3}",
        rate_piped / batch1024
    );
    println!(
        "nansen-bench store_bytes_per_entry {:.1}",
        dir_1m as f64 / n1m
    );
    println!("nansen-bench raw_bytes_per_entry {raw_bytes_per_entry:.1}");
    println!(
        "nansen-bench store_over_raw {:.3}",
        dir_1m as f64 / raw_total
    );
    println!("nansen-bench proof_per_s {proof_rate:.0}");
    println!(
        "nansen-bench proof_1m_over_10k {:.3}",
        proof_rate / proof_rate_10k
    );
    if let Some((_, hwm, _, _)) = rss {
        println!("nansen-bench import_peak_rss_mib {hwm:.0}");
    }
    println!("load average at start: {load_start}; at end: {}", loadavg());
    println!(
        "(signing the workload took {:.1} s, the whole run {:.1} s)",
        sign_secs,
        run_start.elapsed().as_secs_f64()
    );
}
