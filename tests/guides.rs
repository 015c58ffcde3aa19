//! The README's guides by role, run as they are written: every block marked
//! `<!-- guide: NAME -->` is taken from README.md and run, unchanged, by one bash shell (so a
//! variable one role sets is there for the next), in the order of a network's first day, on
//! the real `nansen-node` and `nansen` binaries of this tree. A guide line that does not work
//! fails this test; so does a guide that loses a block the order below names.
//!
//! The node of the operator's guide listens on the README's addresses (127.0.0.1:8480 for the
//! API, port 4100 for peers): the test says so and stops if another program holds them.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const README: &str = include_str!("../README.md");

/// The blocks, in the order the roles meet on a network's first day.
const ORDER: &[&str] = &[
    "network",
    "operator",
    "registrar-keys",
    "accredit",
    "holder-start",
    "registrar",
    "holder",
    "verifier-setup",
    "verifier-challenge",
    "holder-present",
    "verifier",
    "corrections",
];

/// The `sh` block after each `<!-- guide: NAME -->` marker.
fn guide_blocks() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = README.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .trim()
            .strip_prefix("<!-- guide:")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert_eq!(
            fence.trim(),
            "```sh",
            "guide {name}: a ```sh block must follow its marker"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push((name.trim().to_owned(), body.join("\n")));
    }
    blocks
}

fn target_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"))
}

#[test]
fn every_guide_block_names_a_step_of_the_day() {
    let names: Vec<String> = guide_blocks().into_iter().map(|(n, _)| n).collect();
    let mut sorted = names.clone();
    sorted.sort();
    let mut expected: Vec<String> = ORDER.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(sorted, expected, "README guide blocks: {names:?}");
}

#[test]
fn the_guides_by_role_work_as_written() {
    for port in [8480, 4100] {
        if TcpListener::bind(("127.0.0.1", port)).is_err() {
            panic!(
                "127.0.0.1:{port} is in use: the README's guides use it (stop the program holding \
                 it, e.g. a nansen-node, and run this test again)"
            );
        }
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "-p", "node", "-p", "wallet-cli", "--bins"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build of the binaries failed");
    let bin = target_dir().join("debug");
    assert!(bin.join("nansen-node").exists() && bin.join("nansen").exists());

    let blocks = guide_blocks();
    let mut script = String::from(
        "set -euo pipefail\n\
         trap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n",
    );
    for name in ORDER {
        let (_, body) = blocks
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("README has no guide block {name}"));
        script.push_str(&format!("echo '### guide: {name}'\n{body}\n"));
    }
    // After the corrections, the holder's status check says what happened (exit 1).
    script.push_str(
        "echo '### after the corrections: nansen status'\n\
         if nansen status --node http://127.0.0.1:8480; then echo 'status-exit 0'; \
         else echo \"status-exit $?\"; fi\n",
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("timeout");
    command
        .args(["600", "bash", "-c", &script])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("LANG", "C.UTF-8")
        // The guides' passphrases: one for every key file and the wallet here.
        .env("NANSEN_PASSPHRASE", "orbit lantern meadow copper seventeen")
        .stdin(Stdio::null());
    let output = command.output().expect("run bash");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let log = std::fs::read_to_string(dir.path().join("node.log")).unwrap_or_default();
    let tail: String = log.lines().rev().take(20).collect::<Vec<_>>().join("\n");
    let last_step = stdout
        .lines()
        .rfind(|l| l.starts_with("### "))
        .unwrap_or("(none)");
    assert!(
        output.status.success(),
        "the guides stopped at {last_step} ({}):\n{stdout}\n--- stderr\n{stderr}\n--- node.log (last lines, newest first)\n{tail}",
        output.status
    );
    // What each role is told, as the guides say it.
    for expected in [
        "network id ",
        "witness key nansen-witness-",
        "accepted",
        "VERDICT: VALID",
        "status-exit 1",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
    let after = stdout
        .split("### after the corrections")
        .nth(1)
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        after.contains("revoked") && after.contains("superseded"),
        "the holder's status after the corrections:\n{after}"
    );
}
