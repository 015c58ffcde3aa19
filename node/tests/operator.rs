//! What an operator sees from the real `nansen-node` binary: one flag and variable for the
//! node a command talks to, one clean line per mistake (never a backtrace, nothing written
//! before failing), no panic on a closed pipe, plain logs in a file, and the node's peer id,
//! listen addresses and witness key from `run` and `status`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_nansen-node");
const PASSPHRASE: &str = "test passphrase";

/// `nansen-node` with a clean environment for what the tests choose: no node variables,
/// backtraces asked for (a user error must still print none).
fn node_cmd(args: &[&str], cwd: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(cwd)
        .env("NANSEN_PASSPHRASE", PASSPHRASE)
        .env("RUST_BACKTRACE", "1")
        .env_remove("NANSEN_NODE")
        .env_remove("NANSEN_API")
        .stdin(Stdio::null());
    c
}

fn run(args: &[&str], cwd: &Path) -> Output {
    node_cmd(args, cwd).output().expect("run nansen-node")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The command failed with exactly one line on stderr, `error: ...`, and returns it.
fn one_error_line(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        !err.contains("backtrace") && !err.contains("Caused by") && !err.contains("panicked"),
        "{err}"
    );
    lines[0].to_owned()
}

/// A URL where nothing listens.
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A governance key and a genesis file in `dir`.
fn genesis(dir: &Path) {
    let out = run(
        &["key", "generate", "--kind", "governance", "--out", "g.key"],
        dir,
    );
    let text = stdout(&out);
    let key = text
        .lines()
        .find_map(|l| l.strip_prefix("public key "))
        .expect("public key");
    let out = run(
        &[
            "genesis",
            "create",
            "--name",
            "operator-test",
            "--governance-key",
            key.trim(),
            "--threshold",
            "1",
            "--out",
            "genesis.cbor",
        ],
        dir,
    );
    assert!(out.status.success(), "{out:?}");
}

/// A node started with `run`, its standard output read as an operator reads it.
struct RunningNode {
    child: Child,
    printed: Vec<String>,
}

impl RunningNode {
    fn start(dir: &Path, data_dir: &str) -> RunningNode {
        RunningNode::start_with(dir, data_dir, |_| {})
    }

    /// As [`RunningNode::start`], with the command changed by `setup` first.
    fn start_with(dir: &Path, data_dir: &str, setup: impl FnOnce(&mut Command)) -> RunningNode {
        let log = std::fs::File::create(dir.join(format!("{data_dir}.log"))).expect("log");
        let mut command = node_cmd(
            &[
                "run",
                "--data-dir",
                data_dir,
                "--genesis",
                "genesis.cbor",
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
                "--api-listen",
                "127.0.0.1:0",
                "--no-mdns",
            ],
            dir,
        );
        setup(&mut command);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawn run");
        let out = child.stdout.take().expect("stdout");
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut printed = Vec::new();
        while !printed
            .iter()
            .any(|l: &String| l.starts_with("witness key"))
        {
            let left = deadline.saturating_duration_since(Instant::now());
            match receive.recv_timeout(left) {
                Ok(line) => printed.push(line),
                Err(_) => panic!("run printed only {printed:?}"),
            }
        }
        RunningNode { child, printed }
    }

    fn field(&self, name: &str) -> Vec<String> {
        self.printed
            .iter()
            .filter_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .collect()
    }
}

impl Drop for RunningNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn each_mistake_is_one_clean_line_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    genesis(d);

    let url = closed_url();
    let line = one_error_line(&run(&["status", "--node", &url], d));
    assert!(
        line.contains(&format!("cannot reach the node's API at {url}"))
            && line.contains("NANSEN_NODE"),
        "{line}"
    );

    let line = one_error_line(&run(&["run", "--data-dir", "fresh"], d));
    assert!(line.contains("--genesis"), "{line}");
    assert!(!d.join("fresh").exists(), "a data directory was written");

    let line = one_error_line(&run(
        &[
            "run",
            "--data-dir",
            "boot",
            "--genesis",
            "genesis.cbor",
            "--bootstrap",
            "/ip4/192.0.2.7/tcp/4100",
        ],
        d,
    ));
    assert!(
        line.contains("/ip4/192.0.2.7/tcp/4100 lacks the peer id")
            && line.contains("/p2p/<peer id>"),
        "{line}"
    );
    assert!(!d.join("boot").exists(), "a data directory was written");

    let key = "11".repeat(32);
    let line = one_error_line(&run(
        &[
            "governance",
            "draft",
            "accredit",
            "--node",
            &url,
            "--out",
            "draft.cbor",
            "--registrar",
            "office-1",
            "--display-name",
            "Office 1",
            "--key",
            &key,
            "--next-key",
            &key,
            "--kinds",
            "birth",
            "--jurisdictions",
            "XY-MA",
        ],
        d,
    ));
    assert!(line.contains("ISO 3166-1 alpha-2 country code"), "{line}");
}

#[test]
fn one_node_flag_and_variable_and_the_node_shows_who_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    genesis(d);
    let node = RunningNode::start(d, "node");

    // `run` prints the peer id, the API, listen addresses with /p2p/<peer id>, the witness key.
    let peer_id = node.field("peer id").pop().expect("peer id line");
    assert!(peer_id.starts_with("12D3KooW"), "{:?}", node.printed);
    let api = node.field("api").pop().expect("api line");
    let listen = node.field("listen");
    assert!(!listen.is_empty(), "{:?}", node.printed);
    for address in &listen {
        assert!(address.ends_with(&format!("/p2p/{peer_id}")), "{address}");
    }
    let witness = node.field("witness key").pop().expect("witness key line");
    assert!(witness.starts_with("nansen-witness-"), "{witness}");

    // The same node through --node, NANSEN_NODE, and the former --api and NANSEN_API.
    let by_flag = run(&["status", "--node", &api], d);
    let by_variable = node_cmd(&["status"], d)
        .env("NANSEN_NODE", &api)
        .output()
        .expect("status");
    let by_old_flag = run(&["status", "--api", &api], d);
    let by_old_variable = node_cmd(&["status"], d)
        .env("NANSEN_API", &api)
        .output()
        .expect("status");
    for out in [&by_flag, &by_variable, &by_old_flag, &by_old_variable] {
        assert!(out.status.success(), "{out:?}");
        let text = stdout(out);
        assert!(text.contains(&format!("node        {api}")), "{text}");
        assert!(text.contains(&format!("peer id     {peer_id}")), "{text}");
        assert!(text.contains(&format!("witness key {witness}")), "{text}");
        for address in &listen {
            assert!(text.contains(&format!("listen      {address}")), "{text}");
        }
    }
    // The flag takes precedence over the variable, as everywhere.
    let flag_wins = node_cmd(&["status", "--node", &api], d)
        .env("NANSEN_NODE", closed_url())
        .output()
        .expect("status");
    assert!(flag_wins.status.success(), "{flag_wins:?}");

    // Help shows one name per concept; the former spellings stay hidden.
    let help = stdout(&run(&["status", "--help"], d));
    assert!(
        help.contains("--node <URL>") && help.contains("NANSEN_NODE") && !help.contains("--api <"),
        "{help}"
    );
    let help = stdout(&run(&["registrar", "--help"], d));
    assert!(
        help.contains("--registrar-key") && !help.contains("--key "),
        "{help}"
    );
    let help = stdout(&run(&["run", "--help"], d));
    assert!(help.contains("--api-listen <ADDR>"), "{help}");

    // A second node on the same data directory: said in words.
    let line = one_error_line(&run(
        &[
            "run",
            "--data-dir",
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--api-listen",
            "127.0.0.1:0",
            "--no-mdns",
        ],
        d,
    ));
    assert!(
        line.contains("is in use by another nansen-node") && !line.contains("WouldBlock"),
        "{line}"
    );

    // `nansen-node status | head -1`: the reader goes away; no panic, nothing on stderr.
    let mut child = node_cmd(&["status", "--node", &api], d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn status");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("status");
    assert_ne!(out.status.code(), Some(101), "{out:?}");
    assert!(stderr(&out).is_empty(), "{out:?}");

    // The log file has no colour codes.
    let log = std::fs::read_to_string(d.join("node.log")).expect("log");
    assert!(log.contains("INFO"), "{log}");
    assert!(!log.contains('\u{1b}'), "colour codes in the log file");
}

#[test]
fn the_passphrase_comes_from_a_file_or_a_systemd_credential_never_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    genesis(d);
    std::fs::write(d.join("passphrase"), "a passphrase kept in a file\n").expect("write");
    // `key generate` takes the passphrase from NANSEN_PASSPHRASE_FILE alone.
    let out = node_cmd(
        &["key", "generate", "--kind", "node", "--out", "node.key"],
        d,
    )
    .env_remove("NANSEN_PASSPHRASE")
    .env("NANSEN_PASSPHRASE_FILE", d.join("passphrase"))
    .output()
    .expect("run");
    assert!(out.status.success(), "{out:?}");
    // `run` opens that key with the same passphrase as a systemd credential (LoadCredential=
    // nansen-passphrase:...), as contrib/systemd/nansen-node.service passes it.
    let credentials = d.join("credentials");
    std::fs::create_dir(&credentials).expect("mkdir");
    std::fs::copy(d.join("passphrase"), credentials.join("nansen-passphrase")).expect("copy");
    let node = RunningNode::start_with(d, "data", |c| {
        c.args(["--key", "node.key"])
            .env_remove("NANSEN_PASSPHRASE")
            .env("CREDENTIALS_DIRECTORY", &credentials);
    });
    assert_eq!(node.field("peer id").len(), 1, "{:?}", node.printed);
    drop(node);
    // The file wins over the variable, and a wrong one is named in one line.
    std::fs::write(d.join("wrong"), "not the passphrase\n").expect("write");
    let out = node_cmd(
        &[
            "run",
            "--data-dir",
            "data",
            "--key",
            "node.key",
            "--no-mdns",
        ],
        d,
    )
    .env("NANSEN_PASSPHRASE_FILE", d.join("wrong"))
    .output()
    .expect("run");
    let line = one_error_line(&out);
    assert!(line.contains("wrong passphrase"), "{line}");
    // An empty file is refused by name, not taken as an empty passphrase.
    std::fs::write(d.join("empty"), "\n").expect("write");
    let out = node_cmd(
        &[
            "run",
            "--data-dir",
            "data",
            "--key",
            "node.key",
            "--no-mdns",
        ],
        d,
    )
    .env("NANSEN_PASSPHRASE_FILE", d.join("empty"))
    .output()
    .expect("run");
    let line = one_error_line(&out);
    assert!(line.contains("is empty"), "{line}");
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line_definition() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let out = run(&["completions", "bash"], d);
    assert!(out.status.success(), "{out:?}");
    let script = stdout(&out);
    assert!(script.contains("--api-listen") && script.contains("governance"));
    nansen_test_support::contrib::assert_valid_bash(script.as_bytes());
    let out = run(&["man", "--out-dir", "man"], d);
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(d.join("man/nansen-node-run.1")).expect("run page");
    assert!(page.contains("api\\-listen"), "{page}");
    assert!(d.join("man/nansen-node.1").exists());
}
