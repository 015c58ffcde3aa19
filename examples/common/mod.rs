//! Shared harness of the examples: builds the real binaries, runs them as
//! processes, starts and stops nodes, and reads a node's HTTP API.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use nansen_test_support::net::Accreditation;
use serde_json::Value;

/// The passphrase every key file and the wallet use in the examples.
pub const PASSPHRASE: &str = "correct horse battery staple (example only)";

/// Paths of the two binaries.
pub struct Bins {
    pub node: PathBuf,
    pub wallet: PathBuf,
}

/// Builds `nansen-node` and `nansen` in release mode (`$CARGO`, honouring
/// `CARGO_TARGET_DIR`; `NANSEN_SCENARIO_PROFILE=debug` builds and uses the
/// debug binaries instead, as the CI test of the scenario does) and returns
/// their paths.
pub fn build_binaries() -> Result<Bins, String> {
    let debug = std::env::var("NANSEN_SCENARIO_PROFILE").is_ok_and(|p| p == "debug");
    let (profile_dir, profile_flag) = if debug {
        ("debug", None)
    } else {
        ("release", Some("--release"))
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    println!(
        "Building nansen-node and nansen ({profile_dir}; {cargo} build {}-p node -p wallet-cli --bins) ...",
        profile_flag.map_or(String::new(), |f| format!("{f} "))
    );
    let status = Command::new(&cargo)
        .arg("build")
        .args(profile_flag)
        .args(["-p", "node", "-p", "wallet-cli", "--bins"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("running {cargo}: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed: {status}"));
    }
    let bins = Bins {
        node: target.join(profile_dir).join("nansen-node"),
        wallet: target.join(profile_dir).join("nansen"),
    };
    for b in [&bins.node, &bins.wallet] {
        if !b.exists() {
            return Err(format!("{} is missing after the build", b.display()));
        }
    }
    println!(
        "Using {} and {}\n",
        bins.node.display(),
        bins.wallet.display()
    );
    Ok(bins)
}

/// What a finished command printed.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn ok(&self) -> bool {
        self.code == 0
    }
    /// The value of the first `key=value` or `key value` line starting with `key`.
    pub fn field(&self, key: &str) -> Option<String> {
        for line in self.stdout.lines() {
            if let Some(rest) = line.strip_prefix(key) {
                let rest = rest.trim_start_matches('=').trim();
                if !rest.is_empty()
                    && (line
                        .as_bytes()
                        .get(key.len())
                        .is_some_and(|b| *b == b'=' || *b == b' '))
                {
                    return Some(rest.to_owned());
                }
            }
        }
        None
    }
    pub fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs one command with the example environment; `stdin` is fed if given.
pub fn run(program: &Path, args: &[&str], env: &[(String, String)], stdin: Option<&str>) -> Out {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_remove("NANSEN_API")
        .env("NANSEN_PASSPHRASE", PASSPHRASE)
        .env("NANSEN_KDF_MEMORY_KIB", "8192")
        .env("NANSEN_KDF_ITERATIONS", "1")
        .env("LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Out {
                code: -1,
                stdout: String::new(),
                stderr: format!("cannot start {}: {e}", program.display()),
            }
        }
    };
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let _ = pipe.write_all(text.as_bytes());
    }
    match child.wait_with_output() {
        Ok(o) => Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        },
        Err(e) => Out {
            code: -1,
            stdout: String::new(),
            stderr: e.to_string(),
        },
    }
}

/// A running `nansen-node run` process.
pub struct Node {
    pub name: String,
    pub data_dir: PathBuf,
    pub api: String,
    pub peer_id: String,
    pub listen: Vec<String>,
    child: Option<Child>,
}

impl Node {
    /// Starts a node and waits for its `node.json`.
    pub fn start(
        bins: &Bins,
        name: &str,
        data_dir: &Path,
        genesis: &Path,
        bootstrap: Option<&str>,
    ) -> Result<Node, String> {
        std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
        let info = data_dir.join("node.json");
        let _ = std::fs::remove_file(&info);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("node.log"))
            .map_err(|e| e.to_string())?;
        let mut cmd = Command::new(&bins.node);
        cmd.arg("run")
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--genesis")
            .arg(genesis)
            .args([
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
                "--api",
                "127.0.0.1:0",
                "--no-mdns",
            ])
            .args(["--cosign-secs", "1", "--anti-entropy-secs", "2"]);
        if let Some(b) = bootstrap {
            cmd.args(["--bootstrap", b]);
        }
        cmd.env("NANSEN_PASSPHRASE", PASSPHRASE)
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log);
        let mut child = cmd.spawn().map_err(|e| format!("starting {name}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(text) = std::fs::read_to_string(&info) {
                if let Ok(v) = serde_json::from_str::<Value>(&text) {
                    return Ok(Node {
                        name: name.into(),
                        data_dir: data_dir.into(),
                        api: v["api"].as_str().unwrap_or_default().into(),
                        peer_id: v["peer_id"].as_str().unwrap_or_default().into(),
                        listen: v["listen"]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|x| x.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        child: Some(child),
                    });
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "{name} exited ({status}); log: {}",
                    data_dir.join("node.log").display()
                ));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!("{name} wrote no node.json within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The first TCP listen address (with /p2p/<peer id>).
    pub fn tcp_addr(&self) -> String {
        self.listen
            .iter()
            .find(|a| a.contains("/tcp/"))
            .cloned()
            .unwrap_or_default()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// Stops the node with SIGTERM (then SIGKILL after 10 s); true if it exited.
    pub fn stop(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        child.wait().is_ok()
    }

    /// Waits until the process exits by itself (the dev network's Ctrl-C).
    pub fn wait(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.wait();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// GET on a node's API; status and body.
pub fn http_get(base: &str, path: &str) -> Result<(u16, String), String> {
    http(base, "GET", path)
}

/// One request without a body (`GET`, `POST`, `DELETE`) through the project's HTTP client
/// (`nansen_client`, as `nansen` and `nansen-node` use it); returns status and body.
pub fn http(base: &str, method: &str, path: &str) -> Result<(u16, String), String> {
    let client = nansen_client::NodeClient::new(base).map_err(|e| e.to_string())?;
    let method = nansen_client::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let (status, body) = client
        .call(method, path, None, &[])
        .map_err(|e| e.to_string())?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// GET returning JSON.
pub fn get_json(base: &str, path: &str) -> Result<Value, String> {
    let client = nansen_client::NodeClient::new(base).map_err(|e| e.to_string())?;
    client.get_json(path).map_err(|e| e.to_string())
}

/// Polls `f` every 250 ms until it returns Some, or `secs` pass.
pub fn poll<T>(secs: u64, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Generates a key with `nansen-node key generate`; returns its public key.
pub fn generate_key(bins: &Bins, kind: &str, out: &Path) -> Result<String, String> {
    let o = run(
        &bins.node,
        &[
            "key",
            "generate",
            "--kind",
            kind,
            "--out",
            &out.display().to_string(),
        ],
        &[],
        None,
    );
    if !o.ok() {
        return Err(format!("key generate: {}", o.both()));
    }
    o.field("public key")
        .ok_or_else(|| format!("no public key in: {}", o.stdout))
}

/// Creates a network: three governance keys, threshold 2. Returns the
/// governance key files and the genesis path.
pub fn create_network(
    bins: &Bins,
    dir: &Path,
    name: &str,
) -> Result<(Vec<PathBuf>, PathBuf, String), String> {
    let mut files = Vec::new();
    let mut publics = Vec::new();
    for i in 1..=3 {
        let f = dir.join(format!("governance-{i}.key"));
        publics.push(generate_key(bins, "governance", &f)?);
        files.push(f);
    }
    let genesis = dir.join("genesis.cbor");
    let mut args: Vec<String> = vec![
        "genesis".into(),
        "create".into(),
        "--name".into(),
        name.into(),
    ];
    for p in &publics {
        args.push("--governance-key".into());
        args.push(p.clone());
    }
    args.extend([
        "--threshold".into(),
        "2".into(),
        "--out".into(),
        genesis.display().to_string(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&bins.node, &refs, &[], None);
    if !o.ok() {
        return Err(format!("genesis create: {}", o.both()));
    }
    let id = o.field("network id").unwrap_or_default();
    Ok((files, genesis, id))
}

/// Accredits a registrar on the network of [`create_network`]: generates its key files
/// `dir/registrar.key` and `dir/registrar-next.key`, drafts `accreditation` at the node `api`
/// into `dir/accredit.cbor`, signs it with the first two governance key files of `gov` (the
/// threshold) and submits it. Returns the registrar's public key and next key.
pub fn accredit(
    bins: &Bins,
    dir: &Path,
    api: &str,
    gov: &[PathBuf],
    accreditation: &Accreditation,
) -> Result<(String, String), String> {
    let key = generate_key(bins, "registrar", &dir.join("registrar.key"))?;
    let next = generate_key(bins, "registrar", &dir.join("registrar-next.key"))?;
    let draft = dir.join("accredit.cbor").display().to_string();
    let mut steps = vec![accreditation.draft_args(api, &draft, &key, &next)];
    let signers: Vec<String> = gov
        .iter()
        .take(2)
        .map(|g| g.display().to_string())
        .collect();
    for signer in &signers {
        steps.push(vec!["governance", "sign", &draft, "--key", signer]);
    }
    steps.push(vec!["governance", "submit", &draft, "--api", api]);
    for args in &steps {
        let o = run(&bins.node, args, &[], None);
        if !o.ok() {
            return Err(format!("{}: {}", args[..2].join(" "), o.both()));
        }
    }
    Ok((key, next))
}
