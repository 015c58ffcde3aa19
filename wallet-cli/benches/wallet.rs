//! The wallet benchmark: `cargo bench -p wallet-cli --bench wallet`.
//!
//! One run on one machine prints one table, each figure against raw Ed25519 on the same
//! machine:
//!
//! 1. raw Ed25519 `verify_strict` per second (one core): the limit;
//! 2. issuance of a birth credential in both forms (Data Integrity `eddsa-rdfc-2022` and
//!    SD-JWT VC) per second, and the Data Integrity credential verified in process per second
//!    (`scripts/di-bench.sh` compares it with Digital Bazaar's JavaScript verifier on the same
//!    credential);
//! 3. a selective SD-JWT presentation (three of eight claims, key-binding JWT): built per
//!    second, and verified per second in process, alone (two Ed25519 checks: the issuer JWT,
//!    then the key-binding JWT) and with the
//!    portable ledger proof (attestation entry signature, inclusion proof, the witness's
//!    cosignature on the checkpoint) as an offline verifier does it (goal: under 1 ms);
//! 4. `nansen verify` as a process, wall time (goal: under 50 ms): the presentation with its
//!    portable proof and a trusted witness key but no network (verdict SIGNATURE ONLY, exit
//!    3), and fully offline with the exported ledger file and the genesis (VALID).
//!
//! `NANSEN_BENCH_SMALL=1`: fewer rounds (a smoke run).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use ledger::checkpoint::{KeyType, SignerKey};
use ledger::fixtures::{TestNetwork, T0_MS};
use ledger::payload::{Attestation, Payload};
use ledger::store::Store;
use ledger::types::{Author, CredentialId, EventKind, Hash32, Jurisdiction};
use nansen_wallet::ledger_check::{self, Outcome, Presented, ProofJson, Sources};
use nansen_wallet::{did, KeyBindingRequest};
use serde_json::json;

const NONCE: &str = "bench-nonce-5f1c";
const AUDIENCE: &str = "border-post-7";

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs `f` repeatedly for at least `min` and returns operations per second.
fn rate(min: Duration, mut f: impl FnMut() -> BenchResult<()>) -> BenchResult<f64> {
    f()?;
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < min || n < 5 {
        f()?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> BenchResult<()> {
    let small = std::env::var_os("NANSEN_BENCH_SMALL").is_some();
    let min = Duration::from_millis(if small { 300 } else { 2_000 });
    let process_runs = if small { 10 } else { 50 };
    let dir = tempfile::tempdir()?;

    // 1. Raw Ed25519.
    let raw_key = SigningKey::from_bytes(&[7u8; 32]);
    let message = [0x42u8; 200];
    let signature = raw_key.sign(&message);
    let public = raw_key.verifying_key();
    let raw = rate(min, || {
        public.verify_strict(&message, &signature)?;
        Ok(())
    })?;

    // A network whose accredited registrar key is the credential issuer's key.
    let mut net = TestNetwork::new(3, 2);
    let (mut registrar, accreditation) =
        net.accredit(1, &[EventKind::Birth, EventKind::RefugeeStatus], &["JO"])?;
    let issuer_seed = registrar.key.seed();
    let holder_seed = [0x22u8; 32];
    let holder = did::did_key_from_seed(&holder_seed);
    let claims = json!({
        "givenName": "Amal", "familyName": "Haddad", "birthDate": "2024-02-29",
        "birthPlace": "Zaatari camp, Mafraq", "sex": "female", "nationality": "SYR",
        "registrationNumber": "JO-ZA-2024-000123", "registrationDate": "2024-03-04"
    });
    let now = (T0_MS / 1000) as i64 + 3_600;

    // 2. Issuance, both forms.
    let issue_rate = rate(min, || {
        nansen_wallet::issue(EventKind::Birth, &claims, &holder, &issuer_seed, now)?;
        Ok(())
    })?;
    let issued = nansen_wallet::issue(EventKind::Birth, &claims, &holder, &issuer_seed, now)?;

    // 2b. The Data Integrity (eddsa-rdfc-2022) credential verified in process: JSON-LD
    // expansion with the bundled contexts, RDFC-1.0 of the document and of the proof
    // configuration, SHA-256 and one Ed25519 check. `scripts/di-bench.sh` times Digital
    // Bazaar's JavaScript verifier on the same credential (written to NANSEN_BENCH_DI_OUT).
    nansen_wallet::data_integrity::verify_credential(&issued.data_integrity, now)?;
    let di_verify_rate = rate(min, || {
        nansen_wallet::data_integrity::verify_credential(&issued.data_integrity, now)?;
        Ok(())
    })?;
    if let Some(path) = std::env::var_os("NANSEN_BENCH_DI_OUT") {
        std::fs::write(path, serde_json::to_vec_pretty(&issued.data_integrity)?)?;
    }

    // The attestation on a ledger, a witness cosignature and the portable proof.
    let attestation = Attestation {
        credential_id: CredentialId(issued.id),
        di_digest: Hash32(issued.di_digest),
        sd_digest: Hash32(issued.sd_digest),
        kind: EventKind::Birth,
        jurisdiction: Jurisdiction::new("JO-MA")?,
    };
    let attest = registrar.append(Payload::Attest(attestation), T0_MS + 60_000)?;
    let entries = [accreditation, attest];
    let batch: Vec<&[u8]> = entries.iter().map(|e| e.bytes()).collect();
    let mut store = Store::open(&dir.path().join("replica"), Some(&net.genesis))?;
    store.ingest(&batch)?;
    let author = Author::Registrar(registrar.id.clone());
    let witness = SignerKey::from_seed("witness-bench", KeyType::Cosignature, [9u8; 32])?;
    store.cosign_checkpoint(&author, &witness, (T0_MS / 1000) + 120)?;
    let portable = store
        .portable_proof(&author, 0)?
        .ok_or("no portable proof")?;
    let proof = ProofJson {
        network_id: net.network.to_hex(),
        entry: STANDARD.encode(&portable.entry),
        tree_size: portable.tree_size,
        inclusion: portable
            .inclusion
            .iter()
            .map(|h| STANDARD.encode(h.0))
            .collect(),
        checkpoint: portable.checkpoint.clone(),
    };
    let witness_keys = [witness.verifier()];
    let witness_text = witness.verifier().to_string();

    // 3. A selective presentation: built, verified alone, verified with the ledger proof.
    let disclose = ["givenName", "familyName", "nationality"];
    let present = || {
        nansen_wallet::present_sd_jwt(
            &issued.sd_jwt,
            &disclose,
            &holder_seed,
            NONCE,
            AUDIENCE,
            now + 10,
        )
    };
    let present_rate = rate(min, || {
        present()?;
        Ok(())
    })?;
    let presentation = present()?;
    let request = KeyBindingRequest {
        nonce: NONCE,
        audience: AUDIENCE,
        now: now + 20,
        max_age_secs: 900,
    };
    let verify_rate = rate(min, || {
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request)?;
        Ok(())
    })?;
    let verify_with_proof_rate = rate(min, || {
        let disclosed = nansen_wallet::verify_sd_jwt_presentation(&presentation, &request)?;
        let presented = Presented {
            id: disclosed.id,
            sd_digest: disclosed.sd_digest,
            issuer_did: &disclosed.issuer_did,
            issuer_key: did::public_key_from_did_key(&disclosed.issuer_did)?,
            kind: disclosed.kind.name(),
        };
        let sources = Sources {
            proof: Some(&proof),
            network: Some(net.network),
            witnesses: &witness_keys,
            replica: None,
            node: None,
            max_evidence_age: ledger_check::DEFAULT_MAX_EVIDENCE_AGE,
        };
        let report = ledger_check::run_checks(&presented, &sources, now + 20);
        let anchoring = report
            .checks
            .iter()
            .find(|c| c.name == "ledger-anchoring")
            .ok_or("no anchoring check")?;
        if !matches!(anchoring.outcome, Outcome::Pass) {
            return Err(format!("anchoring did not pass: {}", anchoring.detail).into());
        }
        Ok(())
    })?;

    // 4. `nansen verify` as a process (the presentation is made for the current clock).
    let wall_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let fresh = nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &disclose,
        &holder_seed,
        NONCE,
        AUDIENCE,
        wall_now,
    )?;
    let file = dir.path().join("presentation.json");
    std::fs::write(
        &file,
        ledger_check::envelope_text(&fresh, Some(proof.clone())),
    )?;
    let genesis_file = dir.path().join("genesis.cbor");
    std::fs::write(&genesis_file, net.genesis.to_bytes()?)?;
    let ledger_file = dir.path().join("ledger.cbor");
    std::fs::write(&ledger_file, batch.concat())?;
    // Without a network (no node, no ledger file) the proof cannot be checked: the verdict is
    // SIGNATURE ONLY (exit 3), never VALID.
    let signature_only = time_process(
        dir.path(),
        &file,
        &["--witness", &witness_text],
        process_runs,
        3,
    )?;
    let offline = time_process(
        dir.path(),
        &file,
        &[
            "--witness",
            &witness_text,
            "--ledger",
            path_str(&ledger_file)?,
            "--genesis",
            path_str(&genesis_file)?,
            // The fixture ledger is dated 2026-01-01: accept evidence up to 100 years old.
            "--max-evidence-age",
            "3153600000",
        ],
        process_runs,
        0,
    )?;

    println!("nansen wallet benchmark (one process, {} cores)", cores());
    println!("{:<58} {:>12} {:>12}", "", "per second", "vs raw verify");
    let row = |name: &str, per_sec: f64| {
        println!(
            "{name:<58} {per_sec:>12.0} {:>11.3}x  ({:.3} ms each)",
            per_sec / raw,
            1e3 / per_sec
        );
    };
    row("raw Ed25519 verify_strict (one core)", raw);
    row(
        "issue a credential, both forms (DI rdfc + SD-JWT)",
        issue_rate,
    );
    row(
        "verify the Data Integrity credential (eddsa-rdfc-2022)",
        di_verify_rate,
    );
    row(
        "build a selective SD-JWT presentation (3 of 8 claims)",
        present_rate,
    );
    row("verify it in process (2 Ed25519 checks)", verify_rate);
    row(
        "verify it with the portable ledger proof (4 Ed25519 checks)",
        verify_with_proof_rate,
    );
    println!(
        "{:<58} p50 {:>6.1} ms  p90 {:>6.1} ms  max {:>6.1} ms",
        "`nansen verify` process, no ledger evidence (SIGNATURE ONLY)",
        ms(signature_only.0),
        ms(signature_only.1),
        ms(signature_only.2)
    );
    println!(
        "{:<58} p50 {:>6.1} ms  p90 {:>6.1} ms  max {:>6.1} ms",
        "`nansen verify` process, proof + ledger file + genesis (VALID)",
        ms(offline.0),
        ms(offline.1),
        ms(offline.2)
    );
    println!(
        "goals: in-process verification < 1 ms: {:.3} ms with the ledger proof; \
         `nansen verify` < 50 ms: p50 {:.1} ms with a VALID verdict",
        1e3 / verify_with_proof_rate,
        ms(offline.0)
    );
    println!("nansen-bench di_verify_per_second {di_verify_rate:.0}");
    Ok(())
}

/// Runs `nansen verify` `runs` times (each with a fresh verifier state directory, so the
/// nonce is not a replay) and returns (p50, p90, max) wall time. Every run must exit with
/// `expected_exit` (0 VALID, 3 SIGNATURE ONLY).
fn time_process(
    dir: &Path,
    file: &Path,
    extra: &[&str],
    runs: usize,
    expected_exit: i32,
) -> BenchResult<(Duration, Duration, Duration)> {
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let state = dir.join(format!("verifier-{}-{i}", times.len() + extra.len() * 1000));
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_nansen"))
            .arg("verify")
            .arg(file)
            .args(["--challenge", NONCE, "--audience", AUDIENCE, "--lang", "en"])
            .arg("--state-dir")
            .arg(&state)
            .args(extra)
            .output()?;
        times.push(start.elapsed());
        if out.status.code() != Some(expected_exit) {
            return Err(format!(
                "nansen verify did not exit {expected_exit}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
    }
    times.sort();
    Ok((
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 1.0),
    ))
}

fn path_str(p: &Path) -> BenchResult<&str> {
    p.to_str().ok_or_else(|| "non-UTF-8 temporary path".into())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
