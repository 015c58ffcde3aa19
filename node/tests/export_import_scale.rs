//! The memory bound of `nansen-node export` and `import`, measured: a
//! ledger of `NANSEN_SCALE_ENTRIES` entries (default 300,000, a file of
//! about 95 MB) through the real commands under `/usr/bin/time -v`, each
//! command's peak RSS held under [`PEAK_RSS_LIMIT_KB`] whatever the size,
//! and each node's peak RSS (the source, which took the entries through its
//! API and served the export; the fresh node, which imported them) under
//! [`NODE_PEAK_RSS_LIMIT_KB`]. Slow (minutes), so ignored by default:
//!
//! ```sh
//! NANSEN_SCALE_ENTRIES=1000000 cargo test -p node --test export_import_scale -- --ignored --nocapture
//! ```

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::{attestations, birth_registrars, NodeProcess, BIN};

/// The most resident memory either command may use (kB): the bound of one
/// batch and its answer, with room for the runtime.
const PEAK_RSS_LIMIT_KB: u64 = 64 * 1024;

/// The most resident memory a node may reach holding, taking in and
/// serving the ledger (kB; issue 11's bound of 256 MB).
const NODE_PEAK_RSS_LIMIT_KB: u64 = 256 * 1024;

/// A running process's peak resident memory so far (`VmHWM`, kB).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Runs `nansen-node args` under `/usr/bin/time -v`: its first line of
/// output, wall time and peak RSS in kB.
fn measured(args: &[&str], file: &Path) -> (String, String, u64) {
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(BIN)
        .args(args)
        .arg(file)
        .output()
        .expect("/usr/bin/time runs nansen-node");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    let field = |name: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name:?} in {stderr}"))
            .trim()
            .to_owned()
    };
    let first = String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
    let rss = field("Maximum resident set size (kbytes):")
        .parse()
        .expect("kB");
    (first, wall, rss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes long: a measurement, run by hand"]
async fn export_and_import_stay_within_their_memory_bound_at_scale() {
    let entries: u64 = std::env::var("NANSEN_SCALE_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut network = birth_registrars(d, 1, 1, 2);
    let source = NodeProcess::start(&d.join("source"), &network.genesis, &[]);
    source.submit(&network.accreditations).await;
    let started = Instant::now();
    let per_registrar = entries / 2;
    for registrar in &mut network.registrars {
        let mut next = 0;
        while next < per_registrar {
            let end = (next + 10_000).min(per_registrar);
            let answer = source.submit(&attestations(registrar, next..end, 0)).await;
            assert_eq!(answer["accepted"], end - next);
            next = end;
        }
    }
    let total = 2 + 2 * per_registrar;
    println!(
        "{total} entries submitted in {:?}; source node peak RSS so far {} kB",
        started.elapsed(),
        peak_rss_kb(source.child.id())
    );

    let file = d.join("ledger.cbor");
    let (said, wall, export_rss) =
        measured(&["export", "--api", &source.addresses.api, "--out"], &file);
    let bytes = std::fs::metadata(&file).expect("file").len();
    println!("export: {said}; {wall} wall, peak RSS {export_rss} kB; file {bytes} bytes");
    assert!(said.starts_with(&format!("{total} entries")), "{said}");

    let fresh = NodeProcess::start(&d.join("fresh"), &network.genesis, &[]);
    let (said, wall, import_rss) = measured(&["import", "--api", &fresh.addresses.api], &file);
    println!("import: {said}; {wall} wall, peak RSS {import_rss} kB");
    assert!(said.contains(&format!("{total} accepted")), "{said}");
    assert_eq!(source.heads().await, fresh.heads().await);
    let source_rss = peak_rss_kb(source.child.id());
    let fresh_rss = peak_rss_kb(fresh.child.id());
    println!(
        "node peak RSS: source (submitted, holding, exporting) {source_rss} kB; \
         fresh (importing, holding) {fresh_rss} kB"
    );
    assert!(
        export_rss < PEAK_RSS_LIMIT_KB,
        "export used {export_rss} kB"
    );
    assert!(
        import_rss < PEAK_RSS_LIMIT_KB,
        "import used {import_rss} kB"
    );
    for (node, rss) in [("source", source_rss), ("fresh", fresh_rss)] {
        assert!(
            rss < NODE_PEAK_RSS_LIMIT_KB,
            "the {node} node reached {rss} kB"
        );
    }
}
