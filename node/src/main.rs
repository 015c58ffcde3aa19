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
use nansen_node::i18n::{tr, Lang, PROGRAM};
use nansen_node::import::{import_file, ImportReport};
use nansen_node::progress::{progress_bar, Unit};
use nansen_node::NodeKey;
use nansen_wire::api as contract;

/// A Nansen node: replicates the civil-registration ledger with its peers,
/// witnesses checkpoints, and serves a local HTTP API.
///
/// Key files are encrypted with a passphrase, read from the file named by
/// NANSEN_PASSPHRASE_FILE, the systemd credential nansen-passphrase, the
/// NANSEN_PASSPHRASE environment variable, or asked for on the terminal. Operator logs
/// (tracing, to journald) stay in English: they are searched.
#[derive(Parser)]
#[command(name = "nansen-node", version)]
struct Cli {
    /// Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG).
    /// Operator logs stay in English.
    #[arg(long, global = true)]
    lang: Option<String>,
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
            // ENXIO (no controlling terminal) is what the sentence says; any other cause
            // is told after it.
            let sentence = t("no-terminal", &[SYSTEMD_CREDENTIAL]);
            if no_controlling_terminal(&e) {
                anyhow!(sentence)
            } else {
                anyhow!(t(
                    "with-detail",
                    &[&sentence, &nansen_i18n::io_error(lang(), &e)]
                ))
            }
        })
    };
    let p = ask(&t("passphrase-prompt", &[]))?;
    if confirm && ask(&t("passphrase-again", &[]))? != p {
        bail!(t("passphrases-differ", &[]));
    }
    Ok(p)
}

fn public_key(text: &str) -> Result<PublicKeyBytes> {
    PublicKeyBytes::from_hex(text)
        .ok_or_else(|| anyhow!(t("not-public-key", &[&format!("{text:?}")])))
}

fn hash(text: &str, what: &str) -> Result<Hash32> {
    Hash32::from_hex(text).ok_or_else(|| anyhow!(t("not-hash", &[what])))
}

fn credential_id(text: &str) -> Result<CredentialId> {
    CredentialId::from_hex(text).ok_or_else(|| anyhow!(t("not-credential-id", &[])))
}

fn registrar_id(text: &str) -> Result<RegistrarId> {
    Ok(RegistrarId::new(text)?)
}

fn load_key(path: &Path, kind: KeyKind) -> Result<KeyPair> {
    let seed = read_key_file(path, kind, &passphrase(false)?)
        .with_context(|| t("reading-key-file", &[&path.display().to_string()]))?;
    Ok(KeyPair::from_seed(&seed))
}

/// The language of this run's messages, chosen once in `main`.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of this run's messages (English until `main` has chosen).
fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// The message `key` in this run's language, with `args` in place of `{0}`, `{1}`...
fn t(key: &str, args: &[&str]) -> String {
    tr(lang(), key, args)
}

/// The command line with its help in `lang` (the English doc comments, or the French or
/// Arabic texts of `nansen_node::help_text`).
fn localized_command(lang: Lang) -> clap::Command {
    use clap::CommandFactory as _;
    nansen_i18n::help::localize(Cli::command(), lang, nansen_node::help_text::HELP)
}

fn main() -> std::process::ExitCode {
    use clap::FromArgMatches as _;
    end_quietly_on_closed_output();
    limit_malloc_arenas();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lossy: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let help_lang = Lang::of_args(PROGRAM, &lossy);
    let parsed = localized_command(help_lang)
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            return std::process::ExitCode::from(nansen_i18n::help::report_usage_error(
                &e, help_lang,
            ))
        }
    };
    let _ = LANG.set(Lang::choose(PROGRAM, cli.lang.as_deref()));
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context(t("runtime", &[]))
        .and_then(|runtime| runtime.block_on(dispatch(cli.command)));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t("error", &[&error_line(&e)]));
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
        let text = cause_text(cause);
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            // ": " in English and Arabic, " : " in French (a translated separator: a message
            // of its own would be isolated in Arabic).
            line.push_str(if lang() == Lang::Fr { " : " } else { ": " });
        }
        line.push_str(&text);
    }
    let unreachable = e.chain().any(|c| {
        matches!(
            client_error_of(c),
            Some(
                nansen_node::client::ClientError::Unreachable { .. }
                    | nansen_node::client::ClientError::TimedOut { .. }
            )
        )
    });
    if unreachable {
        line.push_str(&t("unreachable-hint", &[]));
    }
    line
}

/// The node API client's error in `cause`: itself, or inside the errors that carry it
/// transparently (import, export, drafting), which are not a cause of their own.
fn client_error_of<'a>(
    cause: &'a (dyn std::error::Error + 'static),
) -> Option<&'a nansen_node::client::ClientError> {
    use nansen_node::authoring::AuthoringError;
    use nansen_node::export::ExportError;
    use nansen_node::import::ImportError;
    if let Some(c) = cause.downcast_ref::<nansen_node::client::ClientError>() {
        return Some(c);
    }
    match (
        cause.downcast_ref::<ImportError>(),
        cause.downcast_ref::<ExportError>(),
        cause.downcast_ref::<AuthoringError>(),
    ) {
        (Some(ImportError::Client(c)), _, _)
        | (_, Some(ExportError::Client(c)), _)
        | (_, _, Some(AuthoringError::Client(c))) => Some(c),
        _ => None,
    }
}

/// A store error in this run's language: what an operator meets (another network's data
/// directory, a store of a newer version, damaged files) in words, the storage engine's own
/// words kept as the detail; the rest (rare, and technical) in English.
fn store_error(e: &ledger::store::StoreError) -> String {
    use ledger::store::StoreError as E;
    match e {
        E::GenesisMismatch => t("store-genesis-mismatch", &[]),
        E::SchemaVersion { found, expected } => t(
            "store-schema-version",
            &[&found.to_string(), &expected.to_string()],
        ),
        E::Corrupt(detail) => t("store-corrupt", &[detail]),
        E::Storage(kv) => t("store-storage", &[&kv.to_string()]),
        other => other.to_string(),
    }
}

/// A network error in this run's language where the operator can act on it (an address that
/// cannot be listened on, a network that cannot be set up: the library's words as the
/// detail); the rest in English.
fn network_error(e: &nansen_node::network::NetworkError) -> String {
    use nansen_node::network::NetworkError as N;
    match e {
        N::Listen {
            address,
            kind: Some(kind),
            ..
        } => t(
            "start-listen",
            &[
                &address.to_string(),
                &nansen_i18n::io_error(lang(), &std::io::Error::from(*kind)),
            ],
        ),
        N::Listen {
            address, reason, ..
        } => t("start-listen", &[&address.to_string(), reason]),
        N::Setup(detail) => t("network-setup", &[detail]),
        other => other.to_string(),
    }
}

/// One cause of an error in this run's language: the errors of the node API client, of a
/// node's start and of key files are told from the catalogue; others (rare, and technical)
/// in their English words.
fn cause_text(cause: &(dyn std::error::Error + 'static)) -> String {
    use nansen_files::keyfile::KeyFileError as K;
    use nansen_files::passphrase::PassphraseSourceError as P;
    use nansen_node::daemon::StartError as S;
    let show = |p: &Path| p.display().to_string();
    if let Some(e) = client_error_of(cause) {
        return e.message(lang());
    }
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        return nansen_i18n::io_error(lang(), e);
    }
    if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
        return nansen_i18n::json_error(lang(), e);
    }
    if let Some(e) = cause.downcast_ref::<ledger::codec::CodecError>() {
        return codec_fault(e);
    }
    let io = |e: &std::io::Error| nansen_i18n::io_error(lang(), e);
    if let Some(e) = cause.downcast_ref::<S>() {
        return match e {
            S::Io { path, source } => t("file-cause", &[&show(path), &io(source)]),
            S::Setting { setting, reason } => {
                use nansen_node::daemon::SettingReason as R;
                let why = match reason {
                    R::PositiveSeconds => t("setting-positive-seconds", &[]),
                    R::AtLeastOne => t("setting-at-least-one", &[]),
                    R::Between(max) => t("setting-between", &[&max.to_string()]),
                    R::NoPeerId(address) => t("setting-no-peer-id", &[address]),
                    R::NotAMultiaddr(given, detail) => {
                        let what = t("setting-not-a-multiaddr", &[&format!("{given:?}")]);
                        match detail {
                            Some(d) => t("with-detail", &[&what, d]),
                            None => what,
                        }
                    }
                    R::NotAnAddress(given, e) => {
                        t("setting-not-an-address", &[&format!("{given:?}"), e])
                    }
                    R::NotAWitnessKey(given) => {
                        t("setting-not-a-witness-key", &[&format!("{given:?}")])
                    }
                    R::Invalid(what) => what.clone(),
                };
                t("start-setting", &[setting, &why])
            }
            S::Store(inner) => t("start-store", &[&store_error(inner)]),
            S::ApiListen { address, source } => {
                t("start-api-listen", &[&address.to_string(), &io(source)])
            }
            S::Replica(inner) => t("start-replica", &[&inner.to_string()]),
            S::Genesis(inner) => t("start-genesis", &[&inner.to_string()]),
            S::GenesisFile { path, cause } => genesis_file_error(path, cause),
            S::Network(inner @ nansen_node::network::NetworkError::Listen { .. }) => {
                network_error(inner)
            }
            S::Network(inner) => t("start-network", &[&network_error(inner)]),
            S::Witness(inner) => t("start-witness", &[&inner.to_string()]),
            S::DataDirInUse(dir) => t("start-data-dir-in-use", &[&show(dir)]),
            S::NoGenesis(dir) => t("start-no-genesis", &[&show(dir)]),
        };
    }
    if let Some(e) = cause.downcast_ref::<ledger::store::StoreError>() {
        return store_error(e);
    }
    if let Some(e) = cause.downcast_ref::<nansen_node::network::NetworkError>() {
        return network_error(e);
    }
    if let Some(e) = cause.downcast_ref::<K>() {
        return e.message(lang());
    }
    if let Some(e) = cause.downcast_ref::<nansen_node::export::ExportError>() {
        use nansen_node::export::ExportError as X;
        return match e {
            X::BrokenOff { entries, reason } => {
                t("export-broken-off", &[&entries.to_string(), reason])
            }
            X::NotAnExport(inner) => t("export-not-an-export", &[&inner.to_string()]),
            X::Write { path, source } => t("writing-failed", &[&show(path), &io(source)]),
            other => other.to_string(),
        };
    }
    if let Some(e) = cause.downcast_ref::<nansen_node::import::ImportError>() {
        use nansen_node::import::ImportError as I;
        return match e {
            I::Open { path, source } => t("import-cannot-open", &[&show(path), &io(source)]),
            I::AnswerMismatch { sent, answered } => t(
                "import-answer-mismatch",
                &[&answered.to_string(), &sent.to_string()],
            ),
            other => other.to_string(),
        };
    }
    if let Some(e) = cause.downcast_ref::<nansen_node::authoring::AuthoringError>() {
        use nansen_node::authoring::AuthoringError as A;
        return match e {
            A::Entry(inner) => t("draft-entry", &[&inner.to_string()]),
            A::Draft(inner) => t("draft-not-a-draft", &[&codec_fault(inner)]),
            A::NotGovernance => t("draft-not-governance", &[]),
            other => other.to_string(),
        };
    }
    if let Some(e) = cause.downcast_ref::<ledger::types::IdError>() {
        use ledger::types::IdError as I;
        return match e {
            I::RegistrarId(id) => t("invalid-registrar-id", &[&format!("{id:?}")]),
            I::Jurisdiction(j) => t("invalid-jurisdiction", &[&format!("{j:?}")]),
            I::EventKind(k) => t("unknown-event-kind", &[&format!("{k:?}")]),
        };
    }
    if let Some(e) = cause.downcast_ref::<ledger::genesis::GenesisError>() {
        use ledger::genesis::GenesisError as G;
        return match e {
            G::Threshold { threshold, keys } => t(
                "genesis-threshold",
                &[&threshold.to_string(), &keys.to_string()],
            ),
            G::KeyOrder => t("genesis-key-order", &[]),
            G::Name => t("genesis-name", &[]),
            other => other.to_string(),
        };
    }
    if let Some(e) = cause.downcast_ref::<P>() {
        return match e {
            P::Unreadable { path, source } => {
                t("passphrase-file-unreadable", &[&show(path), &io(source)])
            }
            P::Empty { path } => t("passphrase-file-empty", &[&show(path)]),
        };
    }
    cause.to_string()
}

/// Why the settings file `path` (its `text`) is not one `nansen-node run` reads: where
/// (line and column, from the parser's span), then the parser's own words as the detail,
/// since they name what was wrong (an unknown key and the known ones, a value not quoted),
/// which a translated sentence of ours could not say for every case. toml's drawing of the
/// line under the message is left out: an error is one line.
fn config_error(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    let what = t(
        "config-unreadable",
        &[
            &path.display().to_string(),
            &line.to_string(),
            &column.to_string(),
        ],
    );
    t("with-detail", &[&what, e.message().trim()])
}

/// Opening the terminal failed because the process has none (ENXIO on Unix).
fn no_controlling_terminal(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ENXIO)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Why the genesis file `path` is not a genesis document. CBOR that cannot be read is told by
/// the byte where reading stopped (serde_cbor's offset) and whether the file ends too early;
/// serde_cbor's own words (`unexpected code`, `invalid type: ...`) are left out: a genesis
/// file is written by `nansen-node genesis create`, and for the operator who holds a damaged
/// one they add nothing to "not a genesis document, byte N". Other faults (a threshold, the
/// key order, the name) have their own messages.
fn genesis_file_error(path: &Path, e: &ledger::genesis::GenesisError) -> String {
    use ledger::genesis::GenesisError as G;
    let file = path.display().to_string();
    match e {
        G::Codec(codec) => t("genesis-not-genesis", &[&file, &codec_fault(codec)]),
        other => t("file-cause", &[&file, &cause_text(other)]),
    }
}

/// Why bytes are not the canonical CBOR of a ledger value, in the run's language: where the
/// reading stopped (serde_cbor's byte offset) and whether the bytes end too early; serde_cbor's
/// own words (`unexpected code`, `invalid type: ...`) are left out, the files read this way
/// being written by `nansen-node` itself (genesis, drafts), where a byte says all a person can
/// act on.
fn codec_fault(e: &ledger::codec::CodecError) -> String {
    use ledger::codec::CodecError;
    match e {
        CodecError::Malformed(words) => {
            // serde_cbor's text: "<what> at offset <n>".
            // (A value of the wrong form has no offset.)
            match words.rsplit_once(" at offset ") {
                Some((what, n)) if n.parse::<u64>().is_ok() => {
                    if what.starts_with("EOF while parsing") {
                        t("cbor-cut-short", &[n])
                    } else {
                        t("cbor-unreadable", &[n])
                    }
                }
                _ => t("cbor-wrong-form", &[]),
            }
        }
        CodecError::NonCanonical => t("cbor-not-canonical", &[]),
        CodecError::Encode(words) => words.clone(),
    }
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
                .with_context(|| t("writing", &[&out.display().to_string()]))?;
            println!(
                "{}",
                t("genesis-created", &[&genesis.network_id()?.to_string()])
            );
        }
        Command::Genesis(GenesisCommand::Show { file }) => {
            let bytes = std::fs::read(&file)
                .with_context(|| t("reading", &[&file.display().to_string()]))?;
            let genesis = Genesis::from_bytes(&bytes)?;
            println!("{}", t("field-name", &[&genesis.name]));
            println!(
                "{}",
                t("field-network-id", &[&genesis.network_id()?.to_string()])
            );
            println!(
                "{}",
                t(
                    "field-threshold",
                    &[
                        &genesis.threshold.to_string(),
                        &genesis.governance_keys.len().to_string()
                    ]
                )
            );
            for key in &genesis.governance_keys {
                println!("{}", t("field-governance", &[&key.to_string()]));
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
                .with_context(|| t("creating", &[&out_dir.display().to_string()]))?;
            clap_mangen::generate_to(Cli::command(), &out_dir)
                .with_context(|| t("writing-man", &[&out_dir.display().to_string()]))?;
            println!("{}", t("man-written", &[&out_dir.display().to_string()]));
        }
        Command::Key(KeyCommand::Generate { kind, out }) => {
            if out.exists() {
                bail!(t("key-exists", &[&out.display().to_string()]));
            }
            let key =
                KeyPair::generate().map_err(|e| anyhow!(t("no-randomness", &[&e.to_string()])))?;
            write_key_file(&out, kind, &key.seed(), &passphrase(true)?)?;
            println!("{}", t("key-public", &[&key.public().to_string()]));
            if kind == KeyKind::Node {
                let node = NodeKey::from_seed(&key.seed())?;
                println!("{}", t("key-peer-id", &[&node.peer_id().to_string()]));
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
            println!("{}", t("key-kind", &[&format!("{kind:?}")]));
            println!("{}", t("key-public", &[&public.to_string()]));
            println!(
                "{}",
                t(
                    "key-commitment",
                    &[&key_commitment(&public_key(&public)?).to_string()]
                )
            );
        }
        Command::Run(args) => run(args).await?,
        Command::Governance(command) => governance(command).await?,
        Command::Registrar(args) => registrar(args).await?,
        Command::Status { api, wait } => {
            let client = api.client()?;
            let info: contract::Info = answered_within(&client, Duration::from_secs(wait)).await?;
            let status: contract::NodeStatus = client.get_json("/v1/status").await?;
            let chains: Vec<contract::ChainView> = client.get_json("/v1/chains").await?;
            println!("{}", t("field-node", &[&api.url()]));
            println!("{}", t("field-peer-id", &[&status.peer_id.to_string()]));
            println!(
                "{}",
                t("field-network-id", &[&status.network_id.to_string()])
            );
            let peer_id = &status.peer_id;
            for address in &info.listen {
                // As others give it to --bootstrap: with the peer id.
                let full = if address.contains("/p2p/") {
                    address.to_string()
                } else {
                    format!("{address}/p2p/{peer_id}")
                };
                println!("{}", t("field-listen", &[&full]));
            }
            println!(
                "{}",
                t("field-witness-key", &[&info.witness_key.to_string()])
            );
            println!("{}", t("field-peers", &[&status.peers.len().to_string()]));
            for peer in &status.peers {
                println!("  {peer}");
            }
            println!("{}", t("field-held", &[&status.held.to_string()]));
            println!("{}", t("field-sync-lag", &[&status.sync_lag.to_string()]));
            println!(
                "{}",
                t(
                    "field-equivocations",
                    &[&status.equivocation_proofs.to_string()]
                )
            );
            println!("{}", t("field-chains", &[]));
            for chain in chains {
                let frozen = match chain.frozen_at {
                    Some(at) => t("chain-frozen", &[&at.to_string()]),
                    None => String::new(),
                };
                println!(
                    "{}",
                    t(
                        "chain-line",
                        &[
                            &format!("{:<24}", chain.author),
                            &format!("{:<10}", chain.kind),
                            &format!("{:>8}", chain.size),
                            chain.head.as_deref().unwrap_or("-"),
                            &frozen
                        ]
                    )
                );
            }
        }
        Command::Peers { action } => peers(action).await?,
        Command::Export { api, out } => {
            let client = api.client()?;
            let bar = progress_bar(lang(), 0, Unit::Entries, t("bar-export", &[]));
            let summary = write_export(&client, &out, bar.as_ref())
                .await
                .with_context(|| t("exporting", &[&out.display().to_string()]))?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            println!(
                "{}",
                t(
                    "export-written",
                    &[
                        &summary.entries.to_string(),
                        &summary.bytes.to_string(),
                        &out.display().to_string()
                    ]
                )
            );
            if let Some(announced) = summary.announced.filter(|&n| n != summary.entries) {
                eprintln!(
                    "{}",
                    t(
                        "export-announced",
                        &[&announced.to_string(), &summary.entries.to_string()]
                    )
                );
            }
        }
        Command::Import { file, api } => {
            let client = api.client()?;
            let length = std::fs::metadata(&file)
                .with_context(|| t("reading", &[&file.display().to_string()]))?
                .len();
            let bar = progress_bar(lang(), length, Unit::Bytes, t("bar-import", &[]));
            let mut report = ImportReport::default();
            let done = import_file(&client, &file, &mut report, bar.as_ref()).await;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            print!("{}", report.render_in(lang()));
            done.with_context(|| {
                t(
                    "import-stopped",
                    &[&file.display().to_string(), &report.read.to_string()],
                )
            })?;
            if !report.complete() {
                if report.held_total() > 0 {
                    if let Ok(status) = client.get_json::<contract::NodeStatus>("/v1/status").await
                    {
                        println!("{}", t("import-held-now", &[&status.held.to_string()]));
                    }
                }
                let unread = if report.file_error.is_some() {
                    t("import-unreadable-end", &[])
                } else {
                    String::new()
                };
                bail!(t(
                    "import-incomplete",
                    &[
                        &file.display().to_string(),
                        &report.refused_total().to_string(),
                        &report.held_total().to_string(),
                        &report.evidence_total().to_string(),
                        &unread
                    ]
                ));
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
                .with_context(|| t("reading", &[&path.display().to_string()]))?;
            toml::from_str::<NodeOptions>(&text)
                .map_err(|e| anyhow!(config_error(path, &text, &e)))?
        }
        None => {
            let dir = args
                .data_dir
                .clone()
                .ok_or_else(|| anyhow!(t("data-dir-required", &[])))?;
            NodeOptions::new(dir)
        }
    };
    if let Some(dir) = args.data_dir {
        options.data_dir = dir;
    }
    options.lang = lang();
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
            .with_context(|| t("reading-node-key", &[&key_path.display().to_string()]))?
    } else {
        std::fs::create_dir_all(&options.data_dir)
            .with_context(|| t("creating", &[&options.data_dir.display().to_string()]))?;
        let key = NodeKey::generate();
        write_key_file(&key_path, KeyKind::Node, &key.seed(), &passphrase(true)?)?;
        tracing::info!(path = %key_path.display(), "new node key written");
        key.seed()
    };
    let key = NodeKey::from_seed(&seed)?;
    let node = start_node(&options, &key).await?;
    println!("{}", t("field-peer-id", &[&node.peer_id.to_string()]));
    println!(
        "{}",
        t("field-api", &[&format!("http://{}", node.api_addr)])
    );
    for address in &node.listen {
        println!("{}", t("field-listen", &[&address.to_string()]));
    }
    println!(
        "{}",
        t("field-witness-key", &[&node.witness_key.to_string()])
    );
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
                .with_context(|| t("writing", &[&common.out.display().to_string()]))?;
            let body = draft.body()?;
            println!(
                "{}",
                t(
                    "draft-written",
                    &[
                        &body.seq.to_string(),
                        body.payload.name(),
                        &common.out.display().to_string()
                    ]
                )
            );
        }
        GovernanceCommand::Sign { draft, key } => {
            let bytes = std::fs::read(&draft)
                .with_context(|| t("reading", &[&draft.display().to_string()]))?;
            let mut d = GovernanceDraft::from_bytes(&bytes)?;
            let key = load_key(&key, KeyKind::Governance)?;
            d.sign(&key)?;
            write_private(&draft, &d.to_bytes()?, Existing::Replace)
                .with_context(|| t("writing", &[&draft.display().to_string()]))?;
            println!(
                "{}",
                t(
                    "draft-signed",
                    &[&key.public().to_string(), &d.signatures.len().to_string()]
                )
            );
        }
        GovernanceCommand::Submit { draft, api } => {
            let bytes = std::fs::read(&draft)
                .with_context(|| t("reading", &[&draft.display().to_string()]))?;
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
            .map_err(|_| anyhow!(t("not-peer-id", &[&format!("{peer_id:?}")])))?;
        Ok(format!("/v1/peers/{peer}/ban"))
    };
    let (api, answer) = match &action {
        PeersAction::List(api) => {
            let client = api.client()?;
            let peers: contract::Peers = client.get_json("/v1/peers").await?;
            for peer in &peers.connected {
                println!("{}", t("peer-connected", &[&peer.to_string()]));
            }
            for ban in &peers.banned {
                let until = match ban.expires_in_secs {
                    Some(left) if !ban.until_lifted => t("ban-left", &[&left.to_string()]),
                    _ => t("ban-until-lifted", &[]),
                };
                println!("{}", t("peer-banned", &[&ban.peer_id.to_string(), &until]));
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
    let key = if answer.banned {
        "ban-answer-banned"
    } else {
        "ban-answer-not-banned"
    };
    let was = if answer.was_banned {
        t("bool-true", &[])
    } else {
        t("bool-false", &[])
    };
    println!(
        "{}",
        t(key, &[&answer.peer_id.to_string(), &was, &api.url()])
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
                anyhow!(t(
                    "unknown-reason",
                    &[
                        &format!("{reason:?}"),
                        &RevocationReason::ALL.map(RevocationReason::name).join(", ")
                    ]
                ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;
    use nansen_node::help_text::HELP;

    #[test]
    fn every_command_and_argument_has_both_translations() {
        let missing = nansen_i18n::help::missing(&Cli::command(), HELP);
        assert!(missing.is_empty(), "no French or Arabic help: {missing:#?}");
        for (key, fr, ar) in HELP {
            assert!(!fr.trim().is_empty() && !ar.trim().is_empty(), "{key}");
        }
    }

    #[test]
    fn a_shared_translation_serves_only_arguments_that_mean_the_same() {
        let conflicts = nansen_i18n::help::shared_key_conflicts(&Cli::command(), HELP);
        assert!(conflicts.is_empty(), "{}", conflicts.join("\n"));
    }

    #[test]
    fn every_help_key_names_a_command_or_an_argument() {
        // A key left behind by a renamed command or argument translates nothing.
        let mut command = Cli::command();
        command.build();
        let mut names = std::collections::BTreeSet::new();
        fn walk(c: &clap::Command, names: &mut std::collections::BTreeSet<String>) {
            names.insert(c.get_name().to_owned());
            for a in c.get_arguments() {
                names.insert(a.get_id().as_str().to_owned());
            }
            for s in c.get_subcommands() {
                walk(s, names);
            }
        }
        walk(&command, &mut names);
        for (key, _, _) in HELP {
            let last = key
                .split_once(':')
                .map(|(_, rest)| rest.rsplit('.').next().unwrap_or(rest))
                .unwrap_or(key);
            assert!(names.contains(last), "{key} names nothing");
        }
    }
}
