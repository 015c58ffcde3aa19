//! A real network for a test, through the real binaries: a genesis with one governance key,
//! one `nansen-node run` process, the registrar `office-1` ("Office 1", birth and
//! refugee status in JO) accredited by governance, and a holder's wallet; then credentials
//! issued with `nansen issue`, received, anchored with `nansen-node registrar attest` and
//! waited for until a witness has cosigned them.
//!
//! The node binary is `NANSEN_NODE_BIN` if set, else built with `cargo build -p node` into
//! the target directory of the test that runs (so a test of another package gets the same
//! binary as `cargo test -p node`). The `nansen` binary is the caller's
//! (`env!("CARGO_BIN_EXE_nansen")` in wallet-cli's tests).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use nansen_client::NodeClient;
use serde_json::Value;

/// The passphrase of the node's and the registrar's key files.
pub const NODE_PASS: &str = "node test passphrase";
/// The holder's wallet passphrase.
pub const WALLET_PASS: &str = "correct horse battery staple";
/// The registrar [`Net::start`] accredits, whose key file is `r.key` (next key `rn.key`).
pub const REGISTRAR: &str = "office-1";
/// The birth claims [`Net::start`] writes to `birth.json`.
pub const BIRTH: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"2024-02-29",
"birthPlace":"Zaatari camp, Mafraq","sex":"female","nationality":"SYR",
"registrationNumber":"JO-ZA-2024-000123","registrationDate":"2024-03-04"}"#;

/// The `nansen-node` binary: `NANSEN_NODE_BIN`, else built once with `cargo build -p node`.
pub fn node_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("NANSEN_NODE_BIN") {
            return PathBuf::from(p);
        }
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "node", "--bin", "nansen-node"])
            .current_dir(&workspace)
            .status()
            .expect("run cargo build -p node");
        assert!(status.success(), "cargo build -p node failed");
        // A test runs from <target>/debug/deps/; the node binary is in <target>/debug/.
        let exe = std::env::current_exe().expect("test path");
        let debug = exe
            .parent()
            .and_then(Path::parent)
            .expect("target directory");
        debug.join(format!("nansen-node{}", std::env::consts::EXE_SUFFIX))
    })
}

/// Standard output and error of a finished process, for a failure message.
pub fn output_text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The value of the line `name=value` in a command's output.
pub fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in {output}"))
        .trim()
        .to_owned()
}

/// The key in `nansen-node key generate`'s line `public key ...`.
pub fn public_key_of(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("public key "))
        .expect("public key line")
        .trim()
        .to_owned()
}

/// How a test runs `nansen-node run`: the API on a free loopback port, no mDNS,
/// anti-entropy and cosigning every second unless `extra` sets them.
#[derive(Debug, Clone, Copy)]
pub struct NodeRun<'a> {
    /// The `nansen-node` binary.
    pub bin: &'a Path,
    /// The data directory (created if missing; the log is appended to `dir/node.log`).
    pub dir: &'a Path,
    /// The network's genesis file.
    pub genesis: &'a Path,
    /// The libp2p listen addresses.
    pub listen: &'a [&'a str],
    /// The bootstrap peers' addresses.
    pub bootstrap: &'a [String],
    /// More `run` arguments.
    pub extra: &'a [&'a str],
    /// The node key file's passphrase (`NANSEN_PASSPHRASE`).
    pub passphrase: &'a str,
    /// The log filter (`RUST_LOG`).
    pub log_filter: &'a str,
    /// How long the node may take to write `node.json`.
    pub wait: Duration,
}

/// Starts `run` and waits until the node wrote `node.json`; returns the process and what
/// `node.json` says (`peer_id`, `api`, `listen`). Fails, naming the data directory, if the
/// process exits first or nothing is written within `run.wait`.
pub fn launch_node(run: &NodeRun) -> Result<(Child, Value), String> {
    let dir = run.dir;
    let failed = |what: String| format!("node in {}: {what}", dir.display());
    std::fs::create_dir_all(dir).map_err(|e| failed(format!("data dir: {e}")))?;
    let info = dir.join("node.json");
    let _ = std::fs::remove_file(&info);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("node.log"))
        .map_err(|e| failed(format!("log file: {e}")))?;
    let mut command = Command::new(run.bin);
    command
        .arg("run")
        .arg("--data-dir")
        .arg(dir)
        .arg("--genesis")
        .arg(run.genesis);
    for address in run.listen {
        command.args(["--listen", address]);
    }
    command.args(["--api", "127.0.0.1:0"]).arg("--no-mdns");
    // Short intervals, unless `extra` sets its own.
    for (flag, value) in [("--anti-entropy-secs", "1"), ("--cosign-secs", "1")] {
        if !run.extra.contains(&flag) {
            command.args([flag, value]);
        }
    }
    for address in run.bootstrap {
        command.arg("--bootstrap").arg(address);
    }
    command.args(run.extra);
    let mut child = command
        .env("NANSEN_PASSPHRASE", run.passphrase)
        .env("RUST_LOG", run.log_filter)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| failed(format!("cannot run {}: {e}", run.bin.display())))?;
    let deadline = Instant::now() + run.wait;
    loop {
        let written = std::fs::read(&info)
            .ok()
            .and_then(|t| serde_json::from_slice::<Value>(&t).ok())
            .filter(|v| v["api"].is_string());
        if let Some(written) = written {
            return Ok((child, written));
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(failed(format!(
                "exited with {status} before writing node.json; see node.log"
            )));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failed(format!(
                "did not start within {} s",
                run.wait.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A `nansen-node run` process of [`Net`] (TCP on loopback, its log at `warn`), killed on
/// drop.
pub struct NodeProcess {
    child: Child,
    /// Its API, `http://127.0.0.1:PORT`.
    pub api: String,
}

impl NodeProcess {
    /// Starts a node on the data directory `dir` with `genesis`, and waits (60 s at most)
    /// until it says where its API is.
    pub fn start(dir: &Path, genesis: &Path) -> NodeProcess {
        let run = NodeRun {
            bin: node_bin(),
            dir,
            genesis,
            listen: &["/ip4/127.0.0.1/tcp/0"],
            bootstrap: &[],
            extra: &[],
            passphrase: NODE_PASS,
            log_filter: "warn",
            wait: Duration::from_secs(60),
        };
        let (child, written) = launch_node(&run).unwrap_or_else(|e| panic!("{e}"));
        let api = written["api"].as_str().unwrap_or_default().to_owned();
        NodeProcess { child, api }
    }

    /// A client of its API.
    pub fn client(&self) -> NodeClient {
        NodeClient::new(&self.api).expect("node client")
    }

    /// `GET path` of its API, as JSON.
    pub fn get_json(&self, path: &str) -> Value {
        self.client()
            .get_json(path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Waits (30 s at most) until `author`'s chain has `size` entries and a checkpoint of
    /// that size cosigned by a witness.
    pub fn wait_cosigned(&self, author: &str, size: u64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let chains = self.get_json("/v1/chains");
            let ok = chains.as_array().into_iter().flatten().any(|c| {
                c["author"] == author
                    && c["size"].as_u64() == Some(size)
                    && c["checkpoint"]["size"].as_u64() == Some(size)
                    && c["checkpoint"]["cosignatures"].as_u64().unwrap_or(0) >= 1
            });
            if ok {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no cosigned checkpoint: {chains}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A registrar's accreditation as governance drafts it: the one list of
/// `nansen-node governance draft accredit` arguments for tests and examples.
pub struct Accreditation<'a> {
    /// The registrar's name on the ledger.
    pub registrar: &'a str,
    /// Its display name.
    pub display_name: &'a str,
    /// The event kinds it may attest, comma-separated.
    pub kinds: &'a str,
    /// Where, comma-separated ISO 3166 codes.
    pub jurisdictions: &'a str,
}

impl Accreditation<'_> {
    /// `nansen-node governance draft accredit` of it, with the registrar's public `key` and
    /// committed `next_key`, drafted at the node `api` into the file `out`.
    pub fn draft_args<'b>(
        &'b self,
        api: &'b str,
        out: &'b str,
        key: &'b str,
        next_key: &'b str,
    ) -> Vec<&'b str> {
        vec![
            "governance",
            "draft",
            "accredit",
            "--api",
            api,
            "--out",
            out,
            "--registrar",
            self.registrar,
            "--display-name",
            self.display_name,
            "--key",
            key,
            "--next-key",
            next_key,
            "--kinds",
            self.kinds,
            "--jurisdictions",
            self.jurisdictions,
        ]
    }
}

/// A network of one node with one accredited registrar ([`REGISTRAR`]) and a holder's
/// wallet, in a temporary directory where every command runs.
pub struct Net {
    /// The temporary directory every command runs in (removed on drop).
    pub dir: tempfile::TempDir,
    nansen: PathBuf,
    /// The running node, if any: set it to `None` to stop it, [`Net::start_node`] to start it
    /// again on the same data.
    pub node: Option<NodeProcess>,
}

/// What [`Net::anchor`] did: `nansen issue`'s output and the credential's id.
#[derive(Debug, Clone)]
pub struct Anchored {
    /// `nansen issue`'s standard output (`id=`, `di_digest=`, `sd_digest=` lines).
    pub issued: String,
    /// The credential's id.
    pub id: String,
}

impl Net {
    /// Creates the genesis `genesis.cbor` (named `name`, one governance key `g.key`), starts
    /// a node on it in `node/`, accredits [`REGISTRAR`] (key `r.key`, next key `rn.key`),
    /// makes the holder's wallet (`wallet.nansen`) with `nansen` (the binary) and writes
    /// [`BIRTH`] to `birth.json`.
    pub fn start(nansen: &Path, name: &str) -> Net {
        let mut net = Net {
            dir: tempfile::tempdir().expect("temporary directory"),
            nansen: nansen.to_owned(),
            node: None,
        };
        let g = net.generate_key("governance", "g.key");
        net.node_cmd(&[
            "genesis",
            "create",
            "--name",
            name,
            "--governance-key",
            &g,
            "--threshold",
            "1",
            "--out",
            "genesis.cbor",
        ]);
        net.start_node();
        let r = net.generate_key("registrar", "r.key");
        let rn = net.generate_key("registrar", "rn.key");
        let api = net.api();
        let accreditation = Accreditation {
            registrar: REGISTRAR,
            display_name: "Office 1",
            kinds: "birth,refugee_status",
            jurisdictions: "JO",
        };
        net.node_cmd(&accreditation.draft_args(&api, "draft.cbor", &r, &rn));
        net.node_cmd(&["governance", "sign", "draft.cbor", "--key", "g.key"]);
        let submitted = net.node_cmd(&["governance", "submit", "draft.cbor", "--api", &api]);
        assert!(submitted.contains("accepted"), "{submitted}");
        net.ok(&["init"]);
        std::fs::write(net.path("birth.json"), BIRTH).expect("claims");
        net
    }

    /// Starts the node (again) on `node/` with `genesis.cbor`.
    pub fn start_node(&mut self) {
        self.node = Some(NodeProcess::start(
            &self.path("node"),
            &self.path("genesis.cbor"),
        ));
    }

    /// `name` in the network's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The running node.
    pub fn node(&self) -> &NodeProcess {
        self.node.as_ref().expect("a running node")
    }

    /// The running node's API.
    pub fn api(&self) -> String {
        self.node().api.clone()
    }

    /// The running node's witness verifier key (`GET /v1/info`).
    pub fn witness_key(&self) -> String {
        self.node().get_json("/v1/info")["witness_key"]
            .as_str()
            .expect("witness key")
            .to_owned()
    }

    /// `nansen-node args`, which must succeed; returns its standard output.
    pub fn node_cmd(&self, args: &[&str]) -> String {
        let out = Command::new(node_bin())
            .args(args)
            .current_dir(self.dir.path())
            .env("NANSEN_PASSPHRASE", NODE_PASS)
            .stdin(Stdio::null())
            .output()
            .expect("run nansen-node");
        assert!(
            out.status.success(),
            "nansen-node {args:?}: {}",
            output_text(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `nansen args` as the holder (with the registrar's passphrase too, a cheap key
    /// derivation and English messages); whatever it does.
    pub fn nansen(&self, args: &[&str]) -> Output {
        Command::new(&self.nansen)
            .args(args)
            .current_dir(self.dir.path())
            .env("NANSEN_WALLET", self.path("wallet.nansen"))
            .env("NANSEN_PASSPHRASE", WALLET_PASS)
            .env("NANSEN_REGISTRAR_PASSPHRASE", NODE_PASS)
            .env("NANSEN_KDF_MEMORY_KIB", "64")
            .env("NANSEN_KDF_ITERATIONS", "1")
            .env("NANSEN_VERIFIER_DIR", self.path("verifier"))
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::null())
            .output()
            .expect("run nansen")
    }

    /// `nansen args`, which must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.nansen(args);
        assert!(
            out.status.success(),
            "nansen {args:?}: {}",
            output_text(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `nansen-node key generate` of a `kind` key into the file `out`; returns its public key.
    pub fn generate_key(&self, kind: &str, out: &str) -> String {
        public_key_of(&self.node_cmd(&["key", "generate", "--kind", kind, "--out", out]))
    }

    /// `nansen-node registrar <command>` as [`REGISTRAR`] with `r.key`, on the running node.
    pub fn registrar(&self, command: &[&str]) -> String {
        let api = self.api();
        let mut args = vec![
            "registrar",
            "--registrar",
            REGISTRAR,
            "--key",
            "r.key",
            "--api",
            &api,
        ];
        args.extend_from_slice(command);
        self.node_cmd(&args)
    }

    /// The holder's DID.
    pub fn holder(&self) -> String {
        self.ok(&["did"]).trim().to_owned()
    }

    /// `nansen issue` of a `kind` credential with the claims file `claims` to the holder,
    /// signed with the registrar key file `key`, into `out`, then `nansen receive` of it;
    /// returns `issue`'s output.
    pub fn issue_and_receive(&self, kind: &str, claims: &str, key: &str, out: &str) -> String {
        let holder = self.holder();
        let issued = self.ok(&[
            "issue",
            "--kind",
            kind,
            "--claims",
            claims,
            "--holder",
            &holder,
            "--registrar-key",
            key,
            "--out",
            out,
        ]);
        self.ok(&["receive", "--file", out]);
        issued
    }

    /// `nansen-node registrar attest` of what `nansen issue` printed (`issued`), a `kind`
    /// credential in `jurisdiction`; returns its output (`office-1 #N: accepted`).
    pub fn attest(&self, issued: &str, kind: &str, jurisdiction: &str) -> String {
        self.registrar(&[
            "attest",
            "--credential-id",
            &field(issued, "id"),
            "--di-digest",
            &field(issued, "di_digest"),
            "--sd-digest",
            &field(issued, "sd_digest"),
            "--kind",
            kind,
            "--jurisdiction",
            jurisdiction,
        ])
    }

    /// Issues a `kind` credential (claims file `claims`) to the holder with `r.key` into
    /// `out`, receives it, anchors it in `jurisdiction` and waits until a checkpoint that
    /// includes it is cosigned.
    pub fn anchor(&self, kind: &str, claims: &str, out: &str, jurisdiction: &str) -> Anchored {
        let issued = self.issue_and_receive(kind, claims, "r.key", out);
        let attested = self.attest(&issued, kind, jurisdiction);
        // `office-1 #N: accepted`: the entry is the chain's N+1-th.
        let seq = attested
            .split_once(&format!("{REGISTRAR} #"))
            .and_then(|(_, rest)| rest.split_once(": accepted"))
            .and_then(|(n, _)| n.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("not accepted: {attested}"));
        self.node().wait_cosigned(REGISTRAR, seq + 1);
        let id = field(&issued, "id");
        Anchored { issued, id }
    }

    /// Writes `claims` (JSON) to `refugee.json` and [`Net::anchor`]s a refugee-status credential
    /// of them in JO, into `refugee.credential.json`; returns its id.
    pub fn anchor_refugee_status(&self, claims: &str) -> String {
        std::fs::write(self.path("refugee.json"), claims).expect("claims");
        self.anchor(
            "refugee_status",
            "refugee.json",
            "refugee.credential.json",
            "JO",
        )
        .id
    }
}
