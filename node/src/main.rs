//! `nansen-node`: run a Nansen node, create a network, manage keys, and
//! write governance and registrar entries through a node's API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use ledger::genesis::{Genesis, Limits};
use ledger::payload::{
    Accreditation, Attestation, GovernanceRotation, KeyRecovery, KeyRotation, Payload,
    Reinstatement, Revocation, RevocationReason, Scope, ScopeChange, Supersession, Suspension,
};
use ledger::signing::{key_commitment, KeyPair};
use ledger::types::{CredentialId, EventKind, Hash32, Jurisdiction, PublicKeyBytes, RegistrarId};
use nansen_files::keyfile::{key_file_info, read_key_file, write_key_file, KeyKind};
use nansen_files::passphrase::{passphrase_from_environment, SYSTEMD_CREDENTIAL};
use nansen_files::private::{write_private, Existing};
use nansen_node::authoring::{append_registrar_entry, now_ms, GovernanceDraft};
use nansen_node::client::ApiClient;
use nansen_node::daemon::{start_node, NodeOptions};
use nansen_node::export::write_export;
use nansen_node::import::{import_file, ImportReport};
use nansen_node::progress::{progress_bar, Unit};
use nansen_node::NodeKey;
use nansen_wire::api as contract;

/// A Nansen node: replicates the civil-registration ledger with its peers,
/// witnesses checkpoints, and serves a local HTTP API.
///
/// Key files are encrypted with a passphrase, read from the file named by
/// NANSEN_PASSPHRASE_FILE, the systemd credential nansen-passphrase, the
/// NANSEN_PASSPHRASE environment variable, or asked for on the terminal.
#[derive(Parser)]
#[command(name = "nansen-node", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a network: write its genesis document.
    #[command(subcommand)]
    Genesis(GenesisCommand),
    /// Generate and inspect key files.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Run a node (until interrupted).
    Run(RunArgs),
    /// Draft, sign and submit governance entries (k of n signatures).
    #[command(subcommand)]
    Governance(GovernanceCommand),
    /// Append to a registrar's chain through a node.
    Registrar(RegistrarArgs),
    /// Show a node's peers, chains, heads, sync lag and held entries.
    Status {
        #[command(flatten)]
        api: NodeArg,
        /// Wait up to this many seconds for the node's API to answer (a node just started,
        /// in a script or a service's start-up check) instead of failing at once.
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        wait: u64,
    },
    /// List a node's peers, or ban and unban one (an operator's ban lasts
    /// until lifted; the API answers only on loopback).
    Peers {
        #[command(subcommand)]
        action: PeersAction,
    },
    /// Write every signed entry a node holds to a file (a CBOR sequence,
    /// governance chain first, each chain in order), streamed in bounded
    /// memory; the file appears only once complete.
    Export {
        #[command(flatten)]
        api: NodeArg,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Submit every entry of an exported file to a node, which validates
    /// them as it does entries from sync; prints what became of them by
    /// reason, and exits non-zero unless every entry was accepted or
    /// already known.
    Import {
        /// The exported file (a CBOR sequence of signed entries).
        file: PathBuf,
        #[command(flatten)]
        api: NodeArg,
    },
    /// Print a shell completion script, e.g. `nansen-node completions bash >
    /// /etc/bash_completion.d/nansen-node`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (roff): nansen-node.1 and one page per command.
    Man {
        /// The directory to write them into (created if missing).
        #[arg(long)]
        out_dir: PathBuf,
    },
}

/// Where a command finds the node it talks to: the same flag and variable as `nansen`'s.
#[derive(Args)]
struct NodeArg {
    /// The node's API, http://host:port (default: http://127.0.0.1:8480, the address
    /// `run` serves it on unless given --api-listen).
    #[arg(long = "node", alias = "api", env = "NANSEN_NODE", value_name = "URL")]
    node: Option<String>,
}

/// The node a command talks to when neither --node nor NANSEN_NODE names one.
const DEFAULT_NODE: &str = "http://127.0.0.1:8480";

impl NodeArg {
    /// The node's URL: --node (or its former spelling --api), else NANSEN_NODE, else the
    /// former variable NANSEN_API, else the default.
    fn url(&self) -> String {
        self.node
            .clone()
            .or_else(|| std::env::var("NANSEN_API").ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| DEFAULT_NODE.to_owned())
    }

    /// A client for the node.
    fn client(&self) -> Result<ApiClient> {
        Ok(ApiClient::new(&self.url())?)
    }
}

#[derive(Subcommand)]
enum GenesisCommand {
    /// Write a genesis file from governance public keys and a threshold.
    Create {
        /// Network name, e.g. nansen-jordan-pilot.
        #[arg(long)]
        name: String,
        /// A governance public key (hex); repeat for each key.
        #[arg(long = "governance-key", required = true)]
        governance_keys: Vec<String>,
        /// How many governance keys must sign a governance entry.
        #[arg(long)]
        threshold: u8,
        /// Largest signed entry, in bytes.
        #[arg(long, default_value_t = Limits::default().max_entry_bytes)]
        max_entry_bytes: u32,
        /// Most entries a node holds while waiting for dependencies.
        #[arg(long, default_value_t = Limits::default().max_held_entries)]
        max_held_entries: u32,
        /// Where to write the genesis document.
        #[arg(long)]
        out: PathBuf,
    },
    /// Show a genesis file and its network id.
    Show {
        /// The genesis file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate a key and write it encrypted; prints only the public key.
    Generate {
        /// What the key is for.
        #[arg(long, value_enum)]
        kind: KeyKind,
        /// The key file to write (refused if it exists).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a key file's kind and public key (no passphrase needed).
    Show {
        /// The key file.
        file: PathBuf,
        /// Print only the public key (hex), e.g. for `genesis create --governance-key` or
        /// `governance draft accredit --key`.
        #[arg(long)]
        public: bool,
    },
}

#[derive(Args)]
struct RunArgs {
    /// A TOML file with the same settings (flags given here override it).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Directory of the ledger store and node.json.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The network's genesis file (needed the first time).
    #[arg(long)]
    genesis: Option<PathBuf>,
    /// A libp2p listen address; repeat for several (TCP and QUIC).
    /// Default: /ip4/0.0.0.0/tcp/4100 and /ip4/0.0.0.0/udp/4100/quic-v1.
    #[arg(long)]
    listen: Vec<String>,
    /// The address this node's HTTP API listens on (default: 127.0.0.1:8480, loopback; port
    /// 0 picks one). Commands reach it with --node http://ADDR.
    #[arg(long, alias = "api", value_name = "ADDR")]
    api_listen: Option<String>,
    /// A bootstrap peer, `/ip4/.../tcp/.../p2p/<peer id>`; repeatable.
    #[arg(long)]
    bootstrap: Vec<String>,
    /// Do not discover peers on the local network with mDNS.
    #[arg(long)]
    no_mdns: bool,
    /// The node key file (default: <data-dir>/node.key, created if missing).
    #[arg(long)]
    key: Option<PathBuf>,
    /// Seconds between anti-entropy rounds with a random peer.
    #[arg(long)]
    anti_entropy_secs: Option<f64>,
    /// Seconds between witness rounds.
    #[arg(long)]
    cosign_secs: Option<f64>,
    /// Entries asked for per range-sync request (1 to 4096, default 2000).
    #[arg(long)]
    range_max_entries: Option<u32>,
    /// Seconds a sync request to a peer may take before the node turns to
    /// other peers (default 20).
    #[arg(long)]
    sync_timeout_secs: Option<f64>,
    /// Most established peer connections, both ways (default 256).
    #[arg(long, help_heading = "Connection limits")]
    max_connections: Option<u32>,
    /// Most established incoming connections from one IP address
    /// (default 16).
    #[arg(long, help_heading = "Connection limits")]
    max_connections_per_ip: Option<u32>,
    /// Most incoming connections still in their handshake at once
    /// (default 64).
    #[arg(long, help_heading = "Connection limits")]
    max_pending_incoming: Option<u32>,
    /// Most incoming connections still in their handshake at once from
    /// one IP address (default 8).
    #[arg(long, help_heading = "Connection limits")]
    max_pending_incoming_per_ip: Option<u32>,
    /// Seconds a new connection may take from TCP connect to an
    /// established Noise and Yamux session (or a QUIC handshake) before it
    /// is dropped (default 10).
    #[arg(long, help_heading = "Connection limits")]
    handshake_timeout_secs: Option<f64>,
    /// Seconds a connection with no open stream is kept (default 300).
    #[arg(long, help_heading = "Connection limits")]
    idle_timeout_secs: Option<f64>,
    /// Below this many connected peers the node redials its bootstrap
    /// peers and the peers it knows, each with a backoff from 1 s doubling
    /// to 15 s (default 8).
    #[arg(long, help_heading = "Connection limits")]
    target_peers: Option<usize>,
}

#[derive(Subcommand)]
enum GovernanceCommand {
    /// Draft the next governance entry (on the node's governance head).
    Draft {
        #[command(subcommand)]
        action: GovernanceAction,
    },
    /// Add this key's signature to a draft file (in place).
    Sign {
        /// The draft file.
        draft: PathBuf,
        /// A governance key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Submit a draft once it carries enough signatures.
    Submit {
        /// The draft file.
        draft: PathBuf,
        #[command(flatten)]
        api: NodeArg,
    },
}

#[derive(Args)]
struct DraftCommon {
    #[command(flatten)]
    api: NodeArg,
    /// Where to write the draft.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct ScopeArgs {
    /// Event kinds the registrar may attest, comma-separated
    /// (birth, death, marriage, divorce, adoption, name_change,
    /// identity_registration, refugee_status).
    #[arg(long, value_delimiter = ',', required = true)]
    kinds: Vec<String>,
    /// Jurisdictions, comma-separated: each the ISO 3166-1 alpha-2 country code (JO),
    /// optionally with an ISO 3166-2 subdivision (JO-MA); a subdivision of a listed one is
    /// included. An alpha-3 code (JOR) is accepted and written as alpha-2.
    #[arg(long, value_delimiter = ',', required = true)]
    jurisdictions: Vec<String>,
    /// Start of validity, ms since the Unix epoch (default: now).
    #[arg(long)]
    valid_from_ms: Option<u64>,
    /// End of validity, ms since the Unix epoch (default: ten years on).
    #[arg(long)]
    valid_until_ms: Option<u64>,
}

impl ScopeArgs {
    fn scope(&self) -> Result<Scope> {
        let from = self.valid_from_ms.unwrap_or_else(now_ms);
        Ok(Scope {
            kinds: self
                .kinds
                .iter()
                .map(|k| EventKind::from_name(k))
                .collect::<Result<_, _>>()?,
            jurisdictions: self
                .jurisdictions
                .iter()
                .map(|j| Jurisdiction::from_input(j))
                .collect::<Result<_, _>>()?,
            valid_from_ms: from,
            valid_until_ms: self
                .valid_until_ms
                .unwrap_or(from + 10 * 365 * 24 * 3600 * 1000),
        })
    }
}

#[derive(Subcommand)]
enum GovernanceAction {
    /// Accredit a registrar.
    Accredit {
        #[command(flatten)]
        common: DraftCommon,
        /// The registrar id (names its chain), e.g. camp-azraq-01.
        #[arg(long)]
        registrar: String,
        /// The office's display name.
        #[arg(long)]
        display_name: String,
        /// The registrar's first public key (hex).
        #[arg(long)]
        key: String,
        /// The registrar's next public key (hex), committed to now.
        #[arg(long)]
        next_key: String,
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// Replace a registrar's scope, binding from a position of its chain.
    ChangeScope {
        #[command(flatten)]
        common: DraftCommon,
        /// The registrar id.
        #[arg(long)]
        registrar: String,
        /// First entry of the registrar's chain the new scope binds: its
        /// entries from here on that were signed before this change are void
        /// (they stay in the log without effect). Give the chain's size as
        /// `nansen-node status` shows it, or more to leave the registrar time.
        #[arg(long)]
        from_seq: u64,
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// Suspend a registrar: its entries from KEEP on are void (they stay in
    /// its log without effect) until it is reinstated.
    Suspend {
        #[command(flatten)]
        common: DraftCommon,
        /// The registrar id.
        #[arg(long)]
        registrar: String,
        /// Entries of its chain that keep their effect.
        #[arg(long)]
        keep: u64,
    },
    /// Lift a registrar's suspension.
    Reinstate {
        #[command(flatten)]
        common: DraftCommon,
        /// The registrar id.
        #[arg(long)]
        registrar: String,
    },
    /// Set a suspended registrar's key (recovery after loss or theft).
    RecoverKey {
        #[command(flatten)]
        common: DraftCommon,
        /// The registrar id.
        #[arg(long)]
        registrar: String,
        /// The new public key (hex).
        #[arg(long)]
        key: String,
        /// The key after it (hex), committed to now.
        #[arg(long)]
        next_key: String,
    },
    /// Replace the governance key set and threshold.
    RotateGovernance {
        #[command(flatten)]
        common: DraftCommon,
        /// A new governance public key (hex); repeat for each.
        #[arg(long = "governance-key", required = true)]
        governance_keys: Vec<String>,
        /// The new threshold.
        #[arg(long)]
        threshold: u8,
    },
}

#[derive(Subcommand)]
enum PeersAction {
    /// The connected peers of this network and the banned ones.
    List(NodeArg),
    /// Disconnect a peer and refuse it until unbanned.
    Ban {
        /// The peer id (12D3KooW...).
        peer_id: String,
        #[command(flatten)]
        api: NodeArg,
    },
    /// Lift a peer's ban (operator's or automatic) and redial it.
    Unban {
        /// The peer id (12D3KooW...).
        peer_id: String,
        #[command(flatten)]
        api: NodeArg,
    },
}

#[derive(Args)]
struct RegistrarArgs {
    /// The registrar id.
    #[arg(long)]
    registrar: String,
    /// The registrar's current key file (a `key generate --kind registrar` file), as
    /// `nansen issue --registrar-key` takes it.
    #[arg(long, alias = "key")]
    registrar_key: PathBuf,
    #[command(flatten)]
    api: NodeArg,
    #[command(subcommand)]
    action: RegistrarAction,
}

#[derive(Args)]
struct AttestationArgs {
    /// The credential's id (32 hex digits).
    #[arg(long)]
    credential_id: String,
    /// SHA-256 of the credential's Data Integrity form (hex).
    #[arg(long)]
    di_digest: String,
    /// SHA-256 of the credential's SD-JWT issuer-signed part (hex).
    #[arg(long)]
    sd_digest: String,
    /// Event kind (birth, death, marriage, ...).
    #[arg(long)]
    kind: String,
    /// Jurisdiction: the ISO 3166-1 alpha-2 country code (JO), optionally with an ISO
    /// 3166-2 subdivision (JO-MA); an alpha-3 code (JOR) is accepted and written as alpha-2.
    #[arg(long)]
    jurisdiction: String,
}

impl AttestationArgs {
    fn attestation(&self) -> Result<Attestation> {
        Ok(Attestation {
            credential_id: credential_id(&self.credential_id)?,
            di_digest: hash(&self.di_digest, "di-digest")?,
            sd_digest: hash(&self.sd_digest, "sd-digest")?,
            kind: EventKind::from_name(&self.kind)?,
            jurisdiction: Jurisdiction::from_input(&self.jurisdiction)?,
        })
    }
}

#[derive(Subcommand)]
enum RegistrarAction {
    /// Anchor a credential (its id and digests; never personal data).
    Attest(AttestationArgs),
    /// Revoke a credential.
    Revoke {
        /// The credential's id (32 hex digits).
        #[arg(long)]
        credential_id: String,
        /// Why: issued_in_error, fraud, holder_request, annulled, other.
        #[arg(long)]
        reason: String,
    },
    /// Replace a credential by a corrected one.
    Supersede {
        /// The credential being replaced.
        #[arg(long)]
        old_credential_id: String,
        #[command(flatten)]
        replacement: AttestationArgs,
    },
    /// Rotate to the pre-committed next key.
    RotateKey {
        /// The next key's file (must match the commitment on the chain).
        #[arg(long)]
        new_key: PathBuf,
        /// The public key (hex) of the key after that, committed to now.
        #[arg(long)]
        next_key: String,
    },
}

/// The key files' passphrase, from the first source that has one: the file named by
/// NANSEN_PASSPHRASE_FILE, the systemd credential `nansen-passphrase` (in
/// `$CREDENTIALS_DIRECTORY`), NANSEN_PASSPHRASE, else the terminal (twice when `confirm`).
/// A file's passphrase is its first line (a trailing newline is not part of it).
fn passphrase(confirm: bool) -> Result<String> {
    if let Some(p) = passphrase_from_environment(&["NANSEN_PASSPHRASE"])? {
        return Ok(p.to_string());
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| {
            anyhow!(
                "no terminal to ask for the key file's passphrase ({e}): give it in a file \
                 named by NANSEN_PASSPHRASE_FILE, as the systemd credential \
                 {SYSTEMD_CREDENTIAL}, or in NANSEN_PASSPHRASE"
            )
        })
    };
    let p = ask("Passphrase: ")?;
    if confirm && ask("Again: ")? != p {
        bail!("the passphrases differ");
    }
    Ok(p)
}

fn public_key(text: &str) -> Result<PublicKeyBytes> {
    PublicKeyBytes::from_hex(text)
        .ok_or_else(|| anyhow!("{text:?} is not a 64-digit hex public key"))
}

fn hash(text: &str, what: &str) -> Result<Hash32> {
    Hash32::from_hex(text).ok_or_else(|| anyhow!("{what} must be 64 hex digits"))
}

fn credential_id(text: &str) -> Result<CredentialId> {
    CredentialId::from_hex(text).ok_or_else(|| anyhow!("a credential id is 32 hex digits"))
}

fn registrar_id(text: &str) -> Result<RegistrarId> {
    Ok(RegistrarId::new(text)?)
}

fn load_key(path: &Path, kind: KeyKind) -> Result<KeyPair> {
    let seed = read_key_file(path, kind, &passphrase(false)?)
        .with_context(|| format!("reading key file {}", path.display()))?;
    Ok(KeyPair::from_seed(&seed))
}

fn main() -> std::process::ExitCode {
    end_quietly_on_closed_output();
    limit_malloc_arenas();
    let cli = Cli::parse();
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
        .and_then(|runtime| runtime.block_on(dispatch(cli.command)));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_line(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// An error as one line for the operator: each cause once (a cause already quoted by the
/// message above it is not repeated), never a backtrace, and for a node that could not be
/// reached, which one and how to choose another.
fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    let unreachable = e.chain().any(|c| {
        matches!(
            c.downcast_ref::<nansen_node::client::ClientError>(),
            Some(
                nansen_node::client::ClientError::Unreachable { .. }
                    | nansen_node::client::ClientError::TimedOut { .. }
            )
        )
    });
    if unreachable {
        line.push_str(
            " (is `nansen-node run` serving its API there? --node URL or NANSEN_NODE choose \
             the node)",
        );
    }
    line
}

/// `nansen-node status | head -1`: when the reader of standard output goes away, the process
/// ends quietly as other Unix tools do (SIGPIPE's default action) instead of panicking in
/// `println!`. Rust sets SIGPIPE to ignored at start-up; restoring the default changes nothing
/// for sockets, which std and tokio write without raising it (MSG_NOSIGNAL), so peers and API
/// clients that go away are still errors the node handles.
#[cfg(unix)]
fn end_quietly_on_closed_output() {
    // SAFETY: called first in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE and no handler of the program is replaced.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_closed_output() {}

/// Two malloc arenas instead of glibc's default of eight per core. Ingest and sync run on
/// tokio's worker and blocking threads, each of which would otherwise get an arena of its own
/// whose freed batches are kept, not returned: a node that took 300,000 entries through its
/// API peaked at 398 MB with the default and 247 MB with two arenas; at 1,000,000 entries,
/// 640 MB and 433 MB (`node/tests/export_import_scale.rs`, one run each). An operator's own
/// `MALLOC_ARENA_MAX` wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called first in `main`, before any other thread exists; mallopt only sets
        // a tunable of the allocator, whose failure (return 0) leaves the default in place.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

async fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Genesis(GenesisCommand::Create {
            name,
            governance_keys,
            threshold,
            max_entry_bytes,
            max_held_entries,
            out,
        }) => {
            let keys = governance_keys
                .iter()
                .map(|k| public_key(k))
                .collect::<Result<Vec<_>>>()?;
            let genesis = Genesis::new(
                &name,
                now_ms(),
                keys,
                threshold,
                Limits {
                    max_entry_bytes,
                    max_held_entries,
                },
            )?;
            std::fs::write(&out, genesis.to_bytes()?)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("network id {}", genesis.network_id()?);
        }
        Command::Genesis(GenesisCommand::Show { file }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let genesis = Genesis::from_bytes(&bytes)?;
            println!("name        {}", genesis.name);
            println!("network id  {}", genesis.network_id()?);
            println!(
                "threshold   {} of {}",
                genesis.threshold,
                genesis.governance_keys.len()
            );
            for key in &genesis.governance_keys {
                println!("governance  {key}");
            }
        }
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            let mut stdout = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "nansen-node", &mut stdout);
        }
        Command::Man { out_dir } => {
            use clap::CommandFactory as _;
            std::fs::create_dir_all(&out_dir)
                .with_context(|| format!("creating {}", out_dir.display()))?;
            clap_mangen::generate_to(Cli::command(), &out_dir)
                .with_context(|| format!("writing the manual pages into {}", out_dir.display()))?;
            println!("manual pages written to {}", out_dir.display());
        }
        Command::Key(KeyCommand::Generate { kind, out }) => {
            if out.exists() {
                bail!("{} exists; not overwriting a key", out.display());
            }
            let key = KeyPair::generate().map_err(|e| anyhow!("no randomness: {e}"))?;
            write_key_file(&out, kind, &key.seed(), &passphrase(true)?)?;
            println!("public key {}", key.public());
            if kind == KeyKind::Node {
                let node = NodeKey::from_seed(&key.seed())?;
                println!("peer id    {}", node.peer_id());
            }
        }
        Command::Key(KeyCommand::Show { file, public: true }) => {
            let (_, public) = key_file_info(&file)?;
            println!("{public}");
        }
        Command::Key(KeyCommand::Show {
            file,
            public: false,
        }) => {
            let (kind, public) = key_file_info(&file)?;
            println!("kind       {kind:?}");
            println!("public key {public}");
            println!("commitment {}", key_commitment(&public_key(&public)?));
        }
        Command::Run(args) => run(args).await?,
        Command::Governance(command) => governance(command).await?,
        Command::Registrar(args) => registrar(args).await?,
        Command::Status { api, wait } => {
            let client = api.client()?;
            let info: contract::Info = answered_within(&client, Duration::from_secs(wait)).await?;
            let status: contract::NodeStatus = client.get_json("/v1/status").await?;
            let chains: Vec<contract::ChainView> = client.get_json("/v1/chains").await?;
            println!("node        {}", api.url());
            println!("peer id     {}", status.peer_id);
            println!("network id  {}", status.network_id);
            let peer_id = &status.peer_id;
            for address in &info.listen {
                // As others give it to --bootstrap: with the peer id.
                if address.contains("/p2p/") {
                    println!("listen      {address}");
                } else {
                    println!("listen      {address}/p2p/{peer_id}");
                }
            }
            println!("witness key {}", info.witness_key);
            println!("peers       {}", status.peers.len());
            for peer in &status.peers {
                println!("  {peer}");
            }
            println!("held        {}", status.held);
            println!("sync lag    {} entries", status.sync_lag);
            println!("equivocations {}", status.equivocation_proofs);
            println!("chains:");
            for chain in chains {
                let frozen = match chain.frozen_at {
                    Some(at) => format!(" FROZEN at {at}"),
                    None => String::new(),
                };
                println!(
                    "  {:<24} {:<10} size {:>8} head {}{}",
                    chain.author,
                    chain.kind,
                    chain.size,
                    chain.head.as_deref().unwrap_or("-"),
                    frozen
                );
            }
        }
        Command::Peers { action } => peers(action).await?,
        Command::Export { api, out } => {
            let client = api.client()?;
            let bar = progress_bar(0, Unit::Entries, "export");
            let summary = write_export(&client, &out, bar.as_ref())
                .await
                .with_context(|| format!("exporting to {}", out.display()))?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            println!(
                "{} entries ({} bytes) written to {}",
                summary.entries,
                summary.bytes,
                out.display()
            );
            if let Some(announced) = summary.announced.filter(|&n| n != summary.entries) {
                eprintln!(
                    "note: the node announced {announced} entries when the export began and sent {}",
                    summary.entries
                );
            }
        }
        Command::Import { file, api } => {
            let client = api.client()?;
            let length = std::fs::metadata(&file)
                .with_context(|| format!("reading {}", file.display()))?
                .len();
            let bar = progress_bar(length, Unit::Bytes, "import");
            let mut report = ImportReport::default();
            let done = import_file(&client, &file, &mut report, bar.as_ref()).await;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            print!("{}", report.render());
            done.with_context(|| {
                format!(
                    "import of {} stopped after {} entries",
                    file.display(),
                    report.read
                )
            })?;
            if !report.complete() {
                if report.held_total() > 0 {
                    if let Ok(status) = client.get_json::<contract::NodeStatus>("/v1/status").await
                    {
                        println!(
                            "the node now holds {} entries waiting for a dependency",
                            status.held
                        );
                    }
                }
                bail!(
                    "import of {} incomplete: {} refused, {} held waiting for entries the file does not bring, {} kept as evidence{}",
                    file.display(),
                    report.refused_total(),
                    report.held_total(),
                    report.evidence_total(),
                    if report.file_error.is_some() {
                        ", and the file could not be read to its end"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    Ok(())
}

async fn run(args: RunArgs) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour only for a person at a terminal: a log file or journal gets plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let mut options = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            toml::from_str::<NodeOptions>(&text)
                .with_context(|| format!("parsing {}", path.display()))?
        }
        None => {
            let dir = args
                .data_dir
                .clone()
                .ok_or_else(|| anyhow!("--data-dir (or --config) is required"))?;
            NodeOptions::new(dir)
        }
    };
    if let Some(dir) = args.data_dir {
        options.data_dir = dir;
    }
    if args.genesis.is_some() {
        options.genesis = args.genesis;
    }
    if args.key.is_some() {
        options.key = args.key;
    }
    if !args.listen.is_empty() {
        options.listen = args.listen;
    }
    if let Some(api) = args.api_listen {
        options.api = api;
    }
    if !args.bootstrap.is_empty() {
        options.bootstrap = args.bootstrap;
    }
    if args.no_mdns {
        options.mdns = false;
    }
    if let Some(s) = args.anti_entropy_secs {
        options.anti_entropy_secs = s;
    }
    if let Some(s) = args.cosign_secs {
        options.cosign_secs = s;
    }
    if let Some(n) = args.range_max_entries {
        options.range_max_entries = n;
    }
    if let Some(s) = args.sync_timeout_secs {
        options.sync_timeout_secs = s;
    }
    if let Some(n) = args.max_connections {
        options.max_connections = n;
    }
    if let Some(n) = args.max_connections_per_ip {
        options.max_connections_per_ip = n;
    }
    if let Some(n) = args.max_pending_incoming {
        options.max_pending_incoming = n;
    }
    if let Some(n) = args.max_pending_incoming_per_ip {
        options.max_pending_incoming_per_ip = n;
    }
    if let Some(s) = args.handshake_timeout_secs {
        options.handshake_timeout_secs = s;
    }
    if let Some(s) = args.idle_timeout_secs {
        options.idle_timeout_secs = s;
    }
    if let Some(n) = args.target_peers {
        options.target_peers = n;
    }
    // Every setting is checked before the node key is created, so that a mistake leaves
    // nothing behind.
    options.check()?;
    let key_path = options
        .key
        .clone()
        .unwrap_or_else(|| options.data_dir.join("node.key"));
    let seed = if key_path.exists() {
        *read_key_file(&key_path, KeyKind::Node, &passphrase(false)?)
            .with_context(|| format!("reading node key {}", key_path.display()))?
    } else {
        std::fs::create_dir_all(&options.data_dir)
            .with_context(|| format!("creating {}", options.data_dir.display()))?;
        let key = NodeKey::generate();
        write_key_file(&key_path, KeyKind::Node, &key.seed(), &passphrase(true)?)?;
        tracing::info!(path = %key_path.display(), "new node key written");
        key.seed()
    };
    let key = NodeKey::from_seed(&seed)?;
    let node = start_node(&options, &key).await?;
    println!("peer id     {}", node.peer_id);
    println!("api         http://{}", node.api_addr);
    for address in &node.listen {
        println!("listen      {address}");
    }
    println!("witness key {}", node.witness_key);
    wait_for_signal().await;
    tracing::info!("stopping");
    node.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn governance(command: GovernanceCommand) -> Result<()> {
    match command {
        GovernanceCommand::Draft { action } => {
            let (common, payload) = match action {
                GovernanceAction::Accredit {
                    common,
                    registrar,
                    display_name,
                    key,
                    next_key,
                    scope,
                } => (
                    common,
                    Payload::Accredit(Accreditation {
                        registrar: registrar_id(&registrar)?,
                        display_name,
                        key: public_key(&key)?,
                        next_key_commitment: key_commitment(&public_key(&next_key)?),
                        scope: scope.scope()?,
                    }),
                ),
                GovernanceAction::ChangeScope {
                    common,
                    registrar,
                    from_seq,
                    scope,
                } => (
                    common,
                    Payload::ChangeScope(ScopeChange {
                        registrar: registrar_id(&registrar)?,
                        scope: scope.scope()?,
                        from_seq,
                    }),
                ),
                GovernanceAction::Suspend {
                    common,
                    registrar,
                    keep,
                } => (
                    common,
                    Payload::Suspend(Suspension {
                        registrar: registrar_id(&registrar)?,
                        keep,
                    }),
                ),
                GovernanceAction::Reinstate { common, registrar } => (
                    common,
                    Payload::Reinstate(Reinstatement {
                        registrar: registrar_id(&registrar)?,
                    }),
                ),
                GovernanceAction::RecoverKey {
                    common,
                    registrar,
                    key,
                    next_key,
                } => (
                    common,
                    Payload::RecoverKey(KeyRecovery {
                        registrar: registrar_id(&registrar)?,
                        key: public_key(&key)?,
                        next_key_commitment: key_commitment(&public_key(&next_key)?),
                    }),
                ),
                GovernanceAction::RotateGovernance {
                    common,
                    governance_keys,
                    threshold,
                } => {
                    let mut keys = governance_keys
                        .iter()
                        .map(|k| public_key(k))
                        .collect::<Result<Vec<_>>>()?;
                    keys.sort();
                    (
                        common,
                        Payload::RotateGovernance(GovernanceRotation { keys, threshold }),
                    )
                }
            };
            let client = common.api.client()?;
            let draft = GovernanceDraft::new(&client, payload).await?;
            write_private(&common.out, &draft.to_bytes()?, Existing::Replace)
                .with_context(|| format!("writing {}", common.out.display()))?;
            let body = draft.body()?;
            println!(
                "draft of governance entry {} ({}) written to {}",
                body.seq,
                body.payload.name(),
                common.out.display()
            );
        }
        GovernanceCommand::Sign { draft, key } => {
            let bytes =
                std::fs::read(&draft).with_context(|| format!("reading {}", draft.display()))?;
            let mut d = GovernanceDraft::from_bytes(&bytes)?;
            let key = load_key(&key, KeyKind::Governance)?;
            d.sign(&key)?;
            write_private(&draft, &d.to_bytes()?, Existing::Replace)
                .with_context(|| format!("writing {}", draft.display()))?;
            println!(
                "signed by {}; {} signature(s)",
                key.public(),
                d.signatures.len()
            );
        }
        GovernanceCommand::Submit { draft, api } => {
            let bytes =
                std::fs::read(&draft).with_context(|| format!("reading {}", draft.display()))?;
            let d = GovernanceDraft::from_bytes(&bytes)?;
            let entry = d.to_entry()?;
            let client = api.client()?;
            let answer = client.submit(&[entry.bytes().to_vec()]).await?;
            println!("{}", first_outcome(&answer));
        }
    }
    Ok(())
}

async fn peers(action: PeersAction) -> Result<()> {
    let ban_path = |peer_id: &str| -> Result<String> {
        let peer: libp2p::PeerId = peer_id
            .parse()
            .map_err(|_| anyhow!("{peer_id:?} is not a peer id (12D3KooW...)"))?;
        Ok(format!("/v1/peers/{peer}/ban"))
    };
    let (api, answer) = match &action {
        PeersAction::List(api) => {
            let client = api.client()?;
            let peers: contract::Peers = client.get_json("/v1/peers").await?;
            for peer in &peers.connected {
                println!("connected {peer}");
            }
            for ban in &peers.banned {
                let until = match ban.expires_in_secs {
                    Some(left) if !ban.until_lifted => format!("{left} s left"),
                    _ => "until lifted".to_owned(),
                };
                println!("banned    {} ({until})", ban.peer_id);
            }
            return Ok(());
        }
        PeersAction::Ban { peer_id, api } => (
            api,
            api.client()?
                .call_json::<contract::BanAnswer>(hyper::Method::POST, &ban_path(peer_id)?)
                .await?,
        ),
        PeersAction::Unban { peer_id, api } => (
            api,
            api.client()?
                .call_json::<contract::BanAnswer>(hyper::Method::DELETE, &ban_path(peer_id)?)
                .await?,
        ),
    };
    println!(
        "{} {} (was banned: {}) on {}",
        answer.peer_id,
        if answer.banned {
            "banned"
        } else {
            "not banned"
        },
        answer.was_banned,
        api.url()
    );
    Ok(())
}

async fn registrar(args: RegistrarArgs) -> Result<()> {
    let id = registrar_id(&args.registrar)?;
    let key = load_key(&args.registrar_key, KeyKind::Registrar)?;
    let payload = match args.action {
        RegistrarAction::Attest(a) => Payload::Attest(a.attestation()?),
        RegistrarAction::Revoke {
            credential_id: id_text,
            reason,
        } => Payload::Revoke(Revocation {
            credential_id: credential_id(&id_text)?,
            reason: RevocationReason::from_name(&reason).ok_or_else(|| {
                anyhow!(
                    "unknown revocation reason {reason:?} ({})",
                    RevocationReason::ALL.map(RevocationReason::name).join(", ")
                )
            })?,
        }),
        RegistrarAction::Supersede {
            old_credential_id,
            replacement,
        } => Payload::Supersede(Supersession {
            old_credential_id: credential_id(&old_credential_id)?,
            replacement: replacement.attestation()?,
        }),
        RegistrarAction::RotateKey { new_key, next_key } => {
            let new = load_key(&new_key, KeyKind::Registrar)?;
            Payload::RotateKey(KeyRotation {
                key: new.public(),
                next_key_commitment: key_commitment(&public_key(&next_key)?),
            })
        }
    };
    let client = args.api.client()?;
    let (entry, answer) = append_registrar_entry(&client, &id, &key, payload).await?;
    println!("{} #{}: {}", id, entry.body().seq, first_outcome(&answer));
    Ok(())
}

/// The outcome of the one entry a command submitted, as the node named it.
fn first_outcome(answer: &contract::SubmitAnswer) -> &str {
    answer.results.first().map_or("?", |r| r.outcome.as_str())
}

/// `GET /v1/info`, asked again every 250 ms while the node cannot be reached, for at most
/// `wait` (a node that answers with an error, or a wrong URL, fails at once).
async fn answered_within(client: &ApiClient, wait: Duration) -> Result<contract::Info> {
    let deadline = std::time::Instant::now() + wait;
    loop {
        match client.get_json("/v1/info").await {
            Err(
                nansen_node::client::ClientError::Unreachable { .. }
                | nansen_node::client::ClientError::TimedOut { .. },
            ) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            answer => return Ok(answer?),
        }
    }
}
