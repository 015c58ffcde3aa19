//! SIGKILL of the real `nansen` binary while it writes the wallet: the file
//! left behind is the old or the new version, never a broken one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CYCLES: usize = 30;
const PASSPHRASE: &str = "correct horse battery staple";
const CLAIMS: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"2024-02-29",
"birthPlace":"Zaatari camp, Mafraq","sex":"female","nationality":"SYR",
"registrationNumber":"JO-ZA-2024-000123","registrationDate":"2024-03-04"}"#;

/// Deterministic xorshift64.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nansen"));
    c.args(args)
        .current_dir(dir)
        .env("NANSEN_WALLET", dir.join("wallet.nansen"))
        .env("NANSEN_PASSPHRASE", PASSPHRASE)
        .env("NANSEN_KDF_MEMORY_KIB", "64")
        .env("NANSEN_KDF_ITERATIONS", "1")
        .env("NANSEN_VERIFIER_DIR", dir.join("verifier"))
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null());
    c
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = command(dir, args).output().expect("run nansen");
    assert!(
        out.status.success(),
        "nansen {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in {output}"))
        .to_owned()
}

/// Issues a birth credential to `holder` into `file`; returns its id.
fn issue(dir: &Path, holder: &str, file: &str) -> String {
    let issued = ok(
        dir,
        &[
            "issue",
            "--kind",
            "birth",
            "--claims",
            "claims.json",
            "--holder",
            holder,
            "--registrar-key",
            "registrar.key",
            "--out",
            file,
        ],
    );
    field(&issued, "id")
}

#[test]
fn thirty_sigkills_during_receive_leave_a_wallet_that_opens() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = tmp.path().to_path_buf();
    ok(&dir, &["init"]);
    let holder = ok(&dir, &["did"]).trim().to_owned();
    write_registrar_key(&dir.join("registrar.key"), PASSPHRASE);
    std::fs::write(dir.join("claims.json"), CLAIMS).expect("claims");

    // Two credentials received normally, to time a receive (the faster).
    let mut received = Vec::new();
    let mut receive_us = u64::MAX;
    for file in ["cred-a.json", "cred-b.json"] {
        received.push(issue(&dir, &holder, file));
        let timer = Instant::now();
        ok(&dir, &["receive", "--file", file]);
        receive_us = receive_us.min(timer.elapsed().as_micros() as u64);
    }

    let credentials: Vec<(String, String)> = (0..CYCLES)
        .map(|i| {
            let file = format!("cred-{i}.json");
            let id = issue(&dir, &holder, &file);
            (file, id)
        })
        .collect();

    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let mut killed_running = 0usize;
    for (cycle, (file, id)) in credentials.iter().enumerate() {
        let mut child = command(&dir, &["receive", "--file", file])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn receive");
        // Anywhere from the start of the process to a little past its end.
        let delay = Duration::from_micros(rng.below(receive_us * 5 / 4));
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("try_wait");
        if finished.is_none() {
            killed_running += 1;
        }
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let completed = finished.is_some() && status.success();

        let out = command(&dir, &["list"]).output().expect("run list");
        let listed = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "cycle {cycle}: list failed after a kill: {listed}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for earlier in &received {
            assert!(
                listed.contains(earlier.as_str()),
                "cycle {cycle}: credential {earlier} lost: {listed}"
            );
        }
        if completed || listed.contains(id.as_str()) {
            assert!(listed.contains(id.as_str()), "cycle {cycle}: {listed}");
            received.push(id.clone());
        }
    }
    assert!(
        killed_running >= CYCLES / 4,
        "only {killed_running} of {CYCLES} kills hit a running process"
    );
    eprintln!(
        "{CYCLES} kill cycles, {killed_running} kills of a running receive, {} credentials kept, receive {receive_us} us, {:?}",
        received.len(),
        started.elapsed()
    );
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}
