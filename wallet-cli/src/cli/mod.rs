//! The `nansen` command line: argument parsing and the commands, over the library modules.
//!
//! Exit codes: 0 success; 1 a presentation or credential failed verification; 2 any other
//! error (bad arguments, wallet errors, I/O).

use crate::event::{parse_event_kind, CredentialKind as _};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clap::{Parser, Subcommand};
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use crate::i18n::{tr, Lang};
use crate::ledger_check::{self, Outcome};
use crate::node_client::NodeClient;
use crate::recovery::{self, RecoveryError};
use crate::wallet::{CheckedStatus, KdfParams, StoredCredential, Wallet, WalletData, WalletError};
use crate::{credential, did, qr, sd_jwt, CredentialError, EventKind};

mod claim_labels;
mod claims_help;
mod confirm;
mod error_line;
mod holder;
mod keep_backup;
mod localized_help;
mod output_file;
mod portrait;
mod present;
mod registrar;
mod scan;
mod secrets;
mod status;
mod verifier_page;
mod verify;
mod verify_di;

use confirm::{confirm, Question};
use error_line::{error_line, error_text};
use holder::*;
pub use holder::{check_bundle, merge_credentials, sheet_text_path};
use keep_backup::*;
use output_file::Existing;
pub use present::BORDER_PROFILE;
use present::*;
use registrar::*;
pub use scan::QrOutArgs;
use scan::*;
use status::*;
use verifier_page::*;
use verify::*;
pub use verify::{check_of, LedgerArgs, CHECKS};
use verify_di::*;
pub use verify_di::{check_di_presentation, is_di_presentation, DI_CHECKS};

/// Nansen: civil-status credentials for displaced people (holder wallet, registrar issuance,
/// offline verification).
#[derive(Debug, Parser)]
#[command(name = "nansen", version)]
pub struct Cli {
    /// Wallet file (default: <data dir>/nansen/wallet.nansen).
    #[arg(long, global = true, env = "NANSEN_WALLET")]
    pub wallet: Option<PathBuf>,
    /// Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true)]
    pub lang: Option<String>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a wallet: a new holder key and its 24-word recovery phrase, shown once.
    Init {
        /// Also write a printable recovery sheet: FILE (a PNG: the QR code of the phrase
        /// with the 24 numbered words below it) and FILE with the extension .txt (the 24
        /// numbered words and instructions, in the chosen language). Both hold the secret
        /// phrase: print them, then delete them.
        #[arg(long, value_name = "FILE.png")]
        recovery_sheet: Option<PathBuf>,
    },
    /// Recreate the wallet from the recovery phrase: the 24 words from standard input (typed,
    /// or `nansen recover < phrase.txt`), separated by spaces or one per line; the sheet's
    /// numbers (`1.`, `2.`, ...) may be left in. The new wallet's passphrase comes from
    /// NANSEN_PASSPHRASE or the terminal.
    Recover {
        /// Replace an existing wallet file (the old one is kept as <file>.bak), and existing
        /// recovery sheet files.
        #[arg(long)]
        force: bool,
        /// Also write a printable recovery sheet, as for `init`: FILE (PNG: QR code of the
        /// phrase and the 24 numbered words) and FILE with the extension .txt.
        #[arg(long, value_name = "FILE.png")]
        recovery_sheet: Option<PathBuf>,
        /// Read the phrase from a photo or scan of the recovery sheet's QR code (PNG or JPEG)
        /// instead of standard input.
        #[arg(long, value_name = "IMAGE")]
        sheet_image: Option<PathBuf>,
        /// Bring the credentials back from the wallet's automatic backup (`nansen backup
        /// auto`): the backup file, or the folder holding it (a USB stick, a folder). The
        /// recovery phrase alone opens it; the new wallet keeps its backup there. Without
        /// it the wallet is recovered with no credentials.
        #[arg(long, value_name = "FILE|FOLDER")]
        backup: Option<PathBuf>,
    },
    /// Encrypted backups of the whole wallet (holder key and credentials): kept up to date
    /// in a folder and opened by the recovery phrase (auto), or written once under a backup
    /// passphrase (NANSEN_BACKUP_PASSPHRASE or the terminal) separate from the wallet's
    /// (export, import).
    Backup {
        /// auto, export or import.
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Show the holder's did:key (to give to a registrar: as text, or as a QR code it scans
    /// with `nansen issue --holder-qr`). Needs no passphrase (wallets written before this
    /// version ask for it once, until their next change).
    Did {
        /// Also draw the DID as a QR code in the terminal.
        #[arg(long)]
        qr: bool,
        /// Also write the DID as a QR code PNG (the code's text is the DID itself).
        #[arg(long, value_name = "FILE.png")]
        qr_png: Option<PathBuf>,
    },
    /// Check and store a credential bundle ({data_integrity, sd_jwt}) issued to this holder:
    /// from the file `nansen issue --out` wrote, or from its QR codes.
    Receive {
        /// The bundle file written by `nansen issue` (JSON).
        #[arg(value_name = "FILE", conflicts_with_all = ["file", "qr_image", "qr_text"])]
        path: Option<PathBuf>,
        /// The bundle file (the same as FILE).
        #[arg(long, conflicts_with_all = ["qr_image", "qr_text"])]
        file: Option<PathBuf>,
        /// Read the bundle from photographed or scanned QR codes: PNG or JPEG images, one or
        /// more codes each, in any order (`nansen issue --qr-png` writes them).
        #[arg(long, num_args = 1.., value_name = "IMAGE", conflicts_with = "qr_text")]
        qr_image: Vec<PathBuf>,
        /// Read the bundle from QR text (`NS1:i/n:...` parts, one per line).
        #[arg(long, value_name = "FILE")]
        qr_text: Option<PathBuf>,
        /// A node's API (http://host:port): check that the credential is anchored on the
        /// ledger with matching digests by an accredited registrar, and store its status
        /// (active, revoked, ...). An unanchored credential is refused; a revoked one is
        /// stored flagged (exit 1). Without it the status is stored as not-checked.
        #[arg(long, env = "NANSEN_NODE")]
        node: Option<String>,
    },
    /// List the credentials held, with their status and when it was last checked.
    List,
    /// Ask a node for the ledger status of the credentials held (active, revoked,
    /// superseded, ...) and store it in the wallet. Exit 1 when a credential is no longer
    /// active.
    Status {
        /// One credential (id in hex, urn:uuid:..., or a unique hex prefix); all without it.
        id: Option<String>,
        /// The node's API (http://host:port).
        #[arg(long, env = "NANSEN_NODE")]
        node: String,
    },
    /// Show one credential (id in hex, urn:uuid:..., or a unique hex prefix): its claims with
    /// their names in the chosen language.
    Show {
        /// Credential id.
        id: String,
        /// Print JSON for programs instead (claim names as in the credential).
        #[arg(long)]
        json: bool,
    },
    /// (Registrar) issue a credential for a holder and write the bundle.
    Issue {
        /// Event kind: birth, death, marriage, divorce, adoption, name_change,
        /// identity_registration, refugee_status.
        #[arg(long)]
        kind: String,
        /// The claims: a JSON file, or NAME=VALUE flags.
        #[command(flatten)]
        claims: ClaimsArgs,
        /// The holder: --holder or --holder-qr.
        #[command(flatten)]
        holder: HolderArgs,
        /// The registrar's key file: a `nansen-node key generate --kind registrar` file
        /// (encrypted; passphrase from NANSEN_REGISTRAR_PASSPHRASE, NANSEN_PASSPHRASE or the
        /// terminal), or a file holding the 32-byte Ed25519 seed in hex.
        #[arg(long)]
        registrar_key: PathBuf,
        /// Where to write the bundle (JSON; it holds the holder's personal data: created
        /// readable by its owner only, never over an existing file without --force).
        #[arg(long)]
        out: PathBuf,
        /// Replace existing output files (the bundle and its QR files).
        #[arg(long)]
        force: bool,
        /// The bundle also as QR codes, for the holder to scan.
        #[command(flatten)]
        qr_out: QrOutArgs,
        /// Where to anchor the attestation.
        #[command(flatten)]
        anchor: AnchorArgs,
    },
    /// (Registrar) revoke a credential: a revocation entry on the registrar's chain.
    Revoke {
        /// Credential id (32 hex digits or urn:uuid:...).
        id: String,
        /// Why: issued_in_error, fraud, holder_request, annulled, other.
        #[arg(long)]
        reason: String,
        /// The registrar's key file (as for `issue`).
        #[arg(long)]
        registrar_key: PathBuf,
        /// The node and registrar chain the revocation is written to.
        #[command(flatten)]
        target: RevocationTarget,
        /// Revoke without asking (for scripts). Without it `revoke` shows what it will do
        /// and asks on the terminal; with no terminal it revokes nothing (NotConfirmed).
        #[arg(long)]
        yes: bool,
    },
    /// (Registrar) correct a credential: issue the corrected one (both forms, written as a
    /// bundle for the holder) and anchor it as the replacement of the old one.
    Supersede {
        /// The id of the credential being corrected (32 hex digits or urn:uuid:...).
        old_id: String,
        /// Event kind of the corrected credential.
        #[arg(long)]
        kind: String,
        /// The corrected credential's claims: a JSON file, or NAME=VALUE flags.
        #[command(flatten)]
        claims: ClaimsArgs,
        /// The holder: --holder or --holder-qr.
        #[command(flatten)]
        holder: HolderArgs,
        /// The registrar's key file (as for `issue`).
        #[arg(long)]
        registrar_key: PathBuf,
        /// Where to write the corrected bundle (JSON; created readable by its owner only,
        /// never over an existing file without --force).
        #[arg(long)]
        out: PathBuf,
        /// Replace existing output files (the bundle and its QR files).
        #[arg(long)]
        force: bool,
        /// The corrected bundle also as QR codes, for the holder to scan.
        #[command(flatten)]
        qr_out: QrOutArgs,
        /// The node and registrar chain to write to.
        #[command(flatten)]
        anchor: AnchorArgs,
    },
    /// (Verifier) print a fresh random challenge (nonce); with --qr or --qr-png, also as a
    /// challenge code (`NSC1:<challenge>:<audience>`) the holder's `present --challenge-qr`
    /// reads.
    Challenge {
        /// The verifier's identity (presentations must name it as audience).
        #[arg(long)]
        audience: String,
        /// Also show the challenge and audience as a QR code in the terminal.
        #[arg(long)]
        qr: bool,
        /// Also write the challenge and audience as a QR code PNG.
        #[arg(long, value_name = "FILE.png")]
        qr_png: Option<PathBuf>,
    },
    /// Present a credential: chosen claims, bound to a verifier's challenge and identity.
    Present {
        /// Credential id.
        id: String,
        /// Claims to disclose, comma-separated (SD-JWT form; required unless --profile).
        #[arg(long, value_delimiter = ',', conflicts_with = "profile")]
        claims: Vec<String>,
        /// The presentation's form. `sd-jwt` (default): an SD-JWT with only the chosen
        /// claims and a key-binding JWT. `di`: a W3C VerifiablePresentation signed by the
        /// holder's did:key (Data Integrity, eddsa-rdfc-2022, purpose authentication, the
        /// challenge and the audience as domain) around the whole credential. FULL
        /// DISCLOSURE: the di form shows every claim; --claims and --profile do not apply.
        #[arg(long, default_value = "sd-jwt", value_parser = ["sd-jwt", "di"])]
        form: String,
        /// A named set of claims: border (names, nationality, refugee status).
        #[arg(long)]
        profile: Option<String>,
        /// The verifier's challenge.
        #[arg(long, required_unless_present = "challenge_qr")]
        challenge: Option<String>,
        /// The verifier's identity.
        #[arg(long, required_unless_present = "challenge_qr")]
        audience: Option<String>,
        /// Read the challenge and the verifier's identity from a photo or scan of the
        /// verifier's challenge code (`nansen challenge --qr-png`), instead of --challenge
        /// and --audience.
        #[arg(long, value_name = "IMAGE", conflicts_with_all = ["challenge", "audience"])]
        challenge_qr: Option<PathBuf>,
        /// Where to write the presentation text (created readable by its owner only, never
        /// over an existing file without --force).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace existing output files (--out, --qr-png, --qr-text).
        #[arg(long)]
        force: bool,
        /// Also show the presentation as QR codes in the terminal.
        #[arg(long)]
        qr: bool,
        /// Also write the QR codes as PNG (several codes: name-1.png, name-2.png, ...).
        #[arg(long)]
        qr_png: Option<PathBuf>,
        /// Also write the QR codes' text (one `NS2:i/n:...` or `NS1:i/n:...` part per line).
        #[arg(long)]
        qr_text: Option<PathBuf>,
        /// The QR codes' framing: `ns2` (default), the compact binary envelope of an SD-JWT
        /// presentation (the border profile with its ledger proof in one code); `ns1`, the
        /// DEFLATE of the text, for verifiers that do not read `ns2` yet. A Data Integrity
        /// presentation is always `ns1`.
        #[arg(long, default_value = "ns2", value_parser = ["ns1", "ns2"])]
        qr_framing: String,
        /// Fetch the credential's portable ledger proof from this node's API
        /// (http://host:port) and carry it in a presentation envelope.
        #[arg(long, env = "NANSEN_NODE")]
        node: Option<String>,
        /// Do not ask before disclosing (for scripts). Without it, `present` lists the claims
        /// it will disclose and asks on the terminal, and refuses (NotConfirmed) when there is
        /// no terminal to ask on.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// (Verifier) check a presentation against the challenge it issued, or a bare credential.
    Verify {
        /// Presentation text file, or a credential (a W3C VC JSON file, as `issue` signs it).
        #[arg(required_unless_present_any = ["qr_text", "qr_image"])]
        file: Option<PathBuf>,
        /// Read the presentation from scanned QR text (`NS2:i/n:...` or `NS1:i/n:...` parts)
        /// instead.
        #[arg(long, conflicts_with_all = ["file", "qr_image"])]
        qr_text: Option<PathBuf>,
        /// Read the presentation from photographed or scanned QR codes instead: PNG or JPEG
        /// images, one or more codes each, parts in any order.
        #[arg(long, num_args = 1.., value_name = "IMAGE", conflicts_with = "file")]
        qr_image: Vec<PathBuf>,
        /// The challenge this verifier issued (required for a presentation).
        #[arg(long)]
        challenge: Option<String>,
        /// This verifier's identity (required for a presentation).
        #[arg(long)]
        audience: Option<String>,
        /// How old (seconds) the holder's signature may be.
        #[arg(long, default_value_t = 900)]
        max_age: i64,
        /// How old (seconds) the status evidence may be: a ledger file whose newest entry is
        /// older is stale and the verdict is not valid (default 7 days).
        #[arg(long, default_value_t = crate::ledger_check::DEFAULT_MAX_EVIDENCE_AGE)]
        max_evidence_age: i64,
        /// Directory of the verifier's used-nonce files
        /// (default: <data dir>/nansen/verifier).
        #[arg(long, env = "NANSEN_VERIFIER_DIR")]
        state_dir: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Write the portrait the presentation discloses, if any, to this file: the JPEG or
        /// WebP image itself, for a screen that can show it (created readable by its owner
        /// only, never over an existing file).
        #[arg(long, value_name = "FILE")]
        portrait_out: Option<PathBuf>,
        /// A node's API (http://host:port): replica (its genesis and export), credential
        /// status, and its witness key when no --witness is given.
        #[arg(long, env = "NANSEN_NODE")]
        node: Option<String>,
        /// A trusted witness verifier key (`nansen-witness-...+<id>+<base64>`); repeatable.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
        /// An exported ledger file (CBOR sequence of signed entries, `nansen-node export`).
        #[arg(long, requires = "genesis")]
        ledger: Option<PathBuf>,
        /// The network's genesis file (with --ledger).
        #[arg(long, requires = "ledger")]
        genesis: Option<PathBuf>,
    },
    /// Write the browser verifier as a folder (open its index.html in any browser, from a
    /// disk, with no network): the page, its WebAssembly module (the checks of `verify`) and
    /// a trust file for the network of --genesis. Without --genesis, its verdicts are
    /// signature only.
    VerifierPage {
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The network's genesis file.
        #[arg(long)]
        genesis: Option<PathBuf>,
        /// A trusted witness verifier key (`nansen-witness-...+<id>+<base64>`); repeatable.
        #[arg(long = "witness", requires = "genesis")]
        witnesses: Vec<String>,
        /// An exported ledger file (`nansen-node export`) carried in the trust file, for the
        /// accreditation and status checks.
        #[arg(long, requires = "genesis")]
        ledger: Option<PathBuf>,
        /// How old (seconds) the status evidence may be (default 7 days).
        #[arg(long, default_value_t = crate::ledger_check::DEFAULT_MAX_EVIDENCE_AGE)]
        max_evidence_age: i64,
        /// Replace the folder's files if they exist.
        #[arg(long)]
        force: bool,
    },
}

/// The claims of a credential to issue: a JSON file, or one flag per claim.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ClaimsArgs {
    /// Claims file (a JSON object: claim name to string value).
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
    /// One claim, NAME=VALUE (repeat for each), instead of a claims file, e.g.
    /// --claim givenName=Amal --claim birthDate=2024-02-29.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claim: Vec<String>,
}

impl ClaimsArgs {
    /// The claims as a JSON object.
    pub fn to_json(&self) -> Result<Value, CliError> {
        if let Some(file) = &self.claims {
            return serde_json::from_slice(&read(file)?).map_err(|source| CliError::NotJson {
                code: "Usage",
                key: "claims-not-json",
                what: Some(file.display().to_string()),
                source,
            });
        }
        let mut claims = Map::new();
        for flag in &self.claim {
            let (name, value) = flag
                .split_once('=')
                .filter(|(n, _)| !n.trim().is_empty())
                .ok_or_else(|| CliError::usage("usage-claim-no-equals", &[&format!("{flag:?}")]))?;
            if claims
                .insert(name.trim().to_owned(), Value::String(value.to_owned()))
                .is_some()
            {
                return Err(CliError::usage("usage-claim-twice", &[name]));
            }
        }
        Ok(Value::Object(claims))
    }
}

/// Where a registrar's entry goes: the node's API, the registrar's chain and the jurisdiction.
#[derive(Debug, Clone, clap::Args)]
pub struct AnchorArgs {
    /// The local node's API (http://host:port). With it, `issue` anchors the attestation on
    /// the ledger; without it, the bundle is only written (anchor it later with
    /// `nansen-node registrar attest`).
    #[arg(long, env = "NANSEN_NODE")]
    pub node: Option<String>,
    /// The registrar id (its chain on the ledger).
    #[arg(long, env = "NANSEN_REGISTRAR")]
    pub registrar: Option<String>,
    /// The jurisdiction of the registration, for attestations: the ISO 3166-1 alpha-2
    /// country code (JO), optionally with an ISO 3166-2 subdivision (JO-MA). An alpha-3 code
    /// (JOR, JOR-MA) is accepted and written as alpha-2.
    #[arg(long, env = "NANSEN_JURISDICTION")]
    pub jurisdiction: Option<String>,
}

/// The holder a credential is issued to: a did:key given as text or read from a QR code.
#[derive(Debug, clap::Args)]
pub struct HolderArgs {
    /// The holder's did:key.
    #[arg(
        long,
        required_unless_present = "holder_qr",
        conflicts_with = "holder_qr"
    )]
    pub holder: Option<String>,
    /// Read the holder's did:key from a QR code image (PNG or JPEG), e.g. a photo of what
    /// `nansen did --qr` shows or the file `nansen did --qr-png` writes.
    #[arg(long, value_name = "IMAGE")]
    pub holder_qr: Option<PathBuf>,
}

/// Where a revocation goes: a revocation is an entry on the registrar's chain, submitted
/// through a node.
#[derive(Debug, clap::Args)]
pub struct RevocationTarget {
    /// The node's API (http://host:port) the revocation entry is submitted to; it must hold
    /// the registrar's chain.
    #[arg(long, env = "NANSEN_NODE")]
    pub node: String,
    /// The registrar id (the chain the revocation is appended to).
    #[arg(long, env = "NANSEN_REGISTRAR")]
    pub registrar: String,
}

/// `nansen backup` actions.
#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// Write the whole wallet, encrypted under the backup passphrase, to a file.
    Export {
        /// The backup file to write (an existing one is kept as <file>.bak).
        #[arg(long)]
        out: PathBuf,
    },
    /// Merge a backup's credentials into this wallet (which must have the same holder key,
    /// e.g. recovered from the phrase). Nothing changes if the backup cannot be opened. An
    /// automatic backup (`backup auto`) is opened with the wallet's own key, without a
    /// backup passphrase.
    Import {
        /// The backup file.
        file: PathBuf,
    },
    /// Keep an encrypted backup of the wallet in a folder (a USB stick, a synced folder),
    /// rewritten by the wallet at every change. The recovery phrase alone opens it:
    /// `nansen recover --backup FOLDER` brings the credentials back on a new phone.
    Auto {
        /// The folder (it must exist; it is never created). The backup is written at once.
        #[arg(long, value_name = "FOLDER", conflicts_with = "off")]
        dir: Option<PathBuf>,
        /// Stop keeping the backup (the file already written stays).
        #[arg(long)]
        off: bool,
    },
}

/// Errors of a backup import, each named.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup passphrase does not open this backup.
    #[error("the backup passphrase does not open this backup; nothing was changed")]
    WrongBackupPassphrase,
    /// The backup file is damaged, truncated or not a backup.
    #[error("the backup file is corrupted ({0}); nothing was changed")]
    BackupCorrupted(String),
    /// The backup is of another holder key than this wallet's.
    #[error(
        "the backup is of another holder ({backup}), not of this wallet's ({wallet}); \
         nothing was changed"
    )]
    BackupOfAnotherHolder {
        /// The backup's holder DID.
        backup: String,
        /// The wallet's holder DID.
        wallet: String,
    },
}

impl BackupError {
    /// The variant's name, as messages name the error: one name per variant, matched
    /// exhaustively.
    pub fn name(&self) -> &'static str {
        match self {
            BackupError::WrongBackupPassphrase => "WrongBackupPassphrase",
            BackupError::BackupCorrupted(..) => "BackupCorrupted",
            BackupError::BackupOfAnotherHolder { .. } => "BackupOfAnotherHolder",
        }
    }
}

/// Errors of the command line, each with a stable name.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The wallet could not be opened or written.
    #[error(transparent)]
    Wallet(#[from] WalletError),
    /// A credential operation failed.
    #[error("{0}")]
    Credential(#[from] CredentialError),
    /// The recovery phrase is unusable.
    #[error(transparent)]
    Recovery(#[from] RecoveryError),
    /// QR input or output failed.
    #[error(transparent)]
    Qr(#[from] qr::QrError),
    /// A QR image file could not be read.
    #[error("{0}: {1}")]
    QrImage(PathBuf, qr::QrError),
    /// A received credential is not for this holder or its two forms disagree: the
    /// catalogue's message `key` with its arguments (`Display` gives the English).
    #[error("{}", crate::i18n::tr(Lang::En, key, &args.iter().map(String::as_str).collect::<Vec<_>>()))]
    Rejected {
        /// The message key (`rejected-...`).
        key: &'static str,
        /// Its arguments.
        args: Vec<String>,
    },
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// A JSON input could not be read: told by the message `key` with the input's name as
    /// its first argument and the fault (where, what) as its second; `code` is the error's
    /// name (`CredentialRejected` for a bundle, `Usage` for a claims file).
    #[error("{code}: {}: {source}", what.as_deref().unwrap_or("input"))]
    NotJson {
        /// The error's name.
        code: &'static str,
        /// The message key.
        key: &'static str,
        /// The input (a file name), when it has one.
        what: Option<String>,
        /// serde_json's error.
        source: serde_json::Error,
    },
    /// A registrar entry was not accepted by the node.
    #[error(transparent)]
    RegistrarEntry(#[from] crate::registrar_entries::RegistrarEntryError),
    /// The node or the ledger file could not be used.
    #[error(transparent)]
    Ledger(#[from] crate::ledger_check::LedgerError),
    /// `receive --node`: a ledger check refused the credential (not anchored, digests differ,
    /// issuer not accredited); it was not stored.
    #[error("the credential was not stored: ledger check {check} failed: {detail}")]
    LedgerRefused {
        /// The ledger check (`ledger-anchoring`, `issuer-accredited`, ...).
        check: &'static str,
        /// Its error name (`NotAnchored`, `DigestMismatch`, `IssuerNotAccredited`, ...).
        error: String,
        /// What was found.
        detail: String,
        /// The same as a message with a stable key, told in the run's language.
        message: Box<nansen_verifier::ledger_checks::Detail>,
    },
    /// A backup could not be imported.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// A passphrase was needed, none of its environment variables is set and there is no
    /// terminal to ask on.
    #[error(
        "no passphrase: set {} (there is no terminal to ask on: {cause})",
        vars.join(" or ")
    )]
    NoPassphrase {
        /// The variables that would give it.
        vars: &'static [&'static str],
        /// Why the terminal could not be used.
        cause: std::io::Error,
    },
    /// A passphrase file (a `..._FILE` variable, or the systemd credential) cannot be used.
    #[error(transparent)]
    PassphraseFile(#[from] nansen_files::passphrase::PassphraseSourceError),
    /// A new passphrase is too easy to guess; nothing was created.
    #[error("{0}; nothing was created")]
    WeakPassphrase(#[from] crate::passphrase::WeakPassphrase),
    /// An output file already exists and `--force` was not given; nothing was written.
    #[error("{0} already exists and was not overwritten (give --force to replace it)")]
    OutputExists(PathBuf),
    /// An anchored credential's bundle could not be moved to its place: it is kept aside.
    #[error(
        "the attestation was anchored, but the bundle could not be put at {} ({cause}); it is \
         kept at {}: move it there",
        out.display(),
        pending.display()
    )]
    BundleNotPublished {
        /// Where the bundle is.
        pending: PathBuf,
        /// Where it should be.
        out: PathBuf,
        /// Why it could not be moved.
        cause: std::io::Error,
    },
    /// The automatic backup could not be written or read.
    #[error(transparent)]
    RecoveryBackup(#[from] crate::recovery_backup::RecoveryBackupError),
    /// `present` or `revoke` was not confirmed (no terminal to ask on and no `--yes`, or
    /// the answer was not yes); nothing was disclosed or revoked.
    #[error("{0}")]
    NotConfirmed(String),
    /// Bad input: the catalogue's message `key` with its arguments (shown in the run's
    /// language; `Display` gives the English).
    #[error("{}", crate::i18n::tr(Lang::En, key, &args.iter().map(String::as_str).collect::<Vec<_>>()))]
    Usage {
        /// The message key (`usage-...`).
        key: &'static str,
        /// Its arguments, `{0}`, `{1}`...
        args: Vec<String>,
    },
}

impl CliError {
    /// A [`CliError::Usage`]: bad input told by the catalogue's message `key`.
    pub(crate) fn usage(key: &'static str, args: &[&str]) -> CliError {
        CliError::Usage {
            key,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// A [`CliError::Rejected`]: a received credential refused, told by the catalogue's
    /// message `key`.
    pub(crate) fn rejected(key: &'static str, args: &[&str]) -> CliError {
        CliError::Rejected {
            key,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("nansen");
    }
    if let Some(d) = std::env::var_os("APPDATA").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("nansen");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".local/share/nansen");
    }
    PathBuf::from(".nansen")
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Io(path.to_path_buf(), e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| CliError::Io(path.to_path_buf(), e))
}

/// Argon2id parameters for new wallets: the defaults, unless `NANSEN_KDF_MEMORY_KIB` /
/// `NANSEN_KDF_ITERATIONS` lower or raise them (tests, very small devices).
fn kdf_params() -> KdfParams {
    let mut p = KdfParams::default();
    let var = |n: &str| std::env::var(n).ok().and_then(|v| v.parse::<u32>().ok());
    if let Some(m) = var("NANSEN_KDF_MEMORY_KIB") {
        p.memory_kib = m.clamp(8, crate::wallet::MAX_MEMORY_KIB);
    }
    if let Some(t) = var("NANSEN_KDF_ITERATIONS") {
        p.iterations = t.clamp(1, 64);
    }
    p
}

struct Ctx {
    lang: Lang,
    wallet_path: PathBuf,
}

impl Ctx {
    /// The wallet's passphrase.
    fn passphrase(&self) -> Result<Zeroizing<String>, CliError> {
        secrets::passphrase(self.lang, secrets::WALLET_VARS, "passphrase-prompt", false)
    }

    /// A new wallet passphrase: confirmed on the terminal, strong enough.
    fn new_passphrase(&self) -> Result<Zeroizing<String>, CliError> {
        secrets::new_passphrase(self.lang, secrets::WALLET_VARS, "passphrase-prompt")
    }

    /// Opens the wallet to read it.
    fn open(&self) -> Result<Wallet, CliError> {
        let pass = self.passphrase()?;
        Ok(Wallet::open(&self.wallet_path, pass.as_bytes())?)
    }

    /// Opens the wallet to change it, holding its lock until the wallet is dropped. The
    /// passphrase is asked before the lock is taken, so that a prompt never holds up another
    /// process.
    fn open_for_update(&self) -> Result<Wallet, CliError> {
        let pass = self.passphrase()?;
        Ok(Wallet::open_for_update(&self.wallet_path, pass.as_bytes())?)
    }
}

/// The command line as `nansen --help` shows it in English, with what is added at run time
/// (each kind's claims after `issue` and `supersede`): what the manual pages and completions
/// are made from.
pub fn documented_command() -> clap::Command {
    use clap::CommandFactory as _;
    claims_help::attach(Cli::command(), Lang::En)
}

/// Runs the binary: parses `std::env::args`, runs the command, returns the exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory as _, FromArgMatches as _};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lossy: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let help_lang = localized_help::language_of_args(&lossy);
    let command =
        localized_help::localize(claims_help::attach(Cli::command(), help_lang), help_lang);
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => return i32::from(nansen_i18n::help::report_usage_error(&e, help_lang)),
    };
    let lang = Lang::choose(crate::i18n::PROGRAM, cli.lang.as_deref());
    let ctx = Ctx {
        lang,
        wallet_path: cli
            .wallet
            .clone()
            .unwrap_or_else(|| data_dir().join("wallet.nansen")),
    };
    match run(&ctx, cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", error_line(&ctx, &e));
            2
        }
    }
}

/// The variant name of a credential error (`NonceMismatch`, `AudienceMismatch`, ...).
pub fn credential_error_name(e: &CredentialError) -> String {
    e.name().to_owned()
}

fn run(ctx: &Ctx, command: Command) -> Result<i32, CliError> {
    match command {
        Command::Init { recovery_sheet } => init(ctx, recovery_sheet.as_deref()),
        Command::Recover {
            force,
            recovery_sheet,
            sheet_image,
            backup,
        } => recover(
            ctx,
            force,
            recovery_sheet.as_deref(),
            sheet_image.as_deref(),
            backup.as_deref(),
        ),
        Command::Backup {
            action: BackupAction::Auto { dir, off },
        } => backup_auto(ctx, dir.as_deref(), off),
        Command::Backup {
            action: BackupAction::Export { out },
        } => backup_export(ctx, &out),
        Command::Backup {
            action: BackupAction::Import { file },
        } => backup_import(ctx, &file),
        Command::Did { qr, qr_png } => did_command(ctx, qr, qr_png.as_deref()),
        Command::Receive {
            path,
            file,
            qr_image,
            qr_text,
            node,
        } => {
            let bundle = read_bundle_input(path.or(file), &qr_image, qr_text)?;
            receive(ctx, &bundle, node.as_deref())
        }
        Command::List => list(ctx),
        Command::Status { id, node } => status(ctx, id.as_deref(), &node),
        Command::Show { id, json } => show(ctx, &id, json),
        Command::Issue {
            kind,
            claims,
            holder,
            registrar_key,
            out,
            force,
            qr_out,
            anchor,
        } => {
            let holder = holder_did_arg(holder.holder, holder.holder_qr.as_deref())?;
            let outputs = BundleOutputs {
                out: &out,
                qr: qr_out.outputs(),
                existing: Existing::from_force(force),
            };
            let what = Issuance {
                kind: &kind,
                claims: &claims,
                holder: &holder,
                registrar_key: &registrar_key,
                supersedes: None,
            };
            issue(ctx, &what, &outputs, &anchor)
        }
        Command::Revoke {
            id,
            reason,
            registrar_key,
            target,
            yes,
        } => revoke(ctx, &id, &reason, &registrar_key, &target, yes),
        Command::Supersede {
            old_id,
            kind,
            claims,
            holder,
            registrar_key,
            out,
            force,
            qr_out,
            anchor,
        } => {
            let old = parse_credential_id(&old_id)?;
            let holder = holder_did_arg(holder.holder, holder.holder_qr.as_deref())?;
            let outputs = BundleOutputs {
                out: &out,
                qr: qr_out.outputs(),
                existing: Existing::from_force(force),
            };
            let what = Issuance {
                kind: &kind,
                claims: &claims,
                holder: &holder,
                registrar_key: &registrar_key,
                supersedes: Some(old),
            };
            issue(ctx, &what, &outputs, &anchor)
        }
        Command::Challenge {
            audience,
            qr,
            qr_png,
        } => challenge_command(ctx, &audience, qr, qr_png.as_deref()),
        Command::Present {
            id,
            claims,
            form,
            profile,
            challenge,
            audience,
            challenge_qr,
            out,
            force,
            qr,
            qr_png,
            qr_text,
            qr_framing,
            node,
            yes,
        } => {
            let (challenge, audience) = match (challenge_qr, challenge, audience) {
                (Some(image), _, _) => {
                    let request = read_challenge_qr(&image)?;
                    (request.challenge, request.audience)
                }
                (None, Some(challenge), Some(audience)) => (challenge, audience),
                // clap requires both without --challenge-qr.
                _ => return Err(CliError::usage("usage-present-needs-challenge", &[])),
            };
            present(
                ctx,
                PresentArgs {
                    yes,
                    id,
                    claims,
                    form,
                    profile,
                    challenge,
                    audience,
                    out,
                    existing: Existing::from_force(force),
                    qr,
                    qr_png,
                    qr_text,
                    compact_qr: qr_framing == "ns2",
                    node,
                },
            )
        }
        Command::VerifierPage {
            out,
            genesis,
            witnesses,
            ledger,
            max_evidence_age,
            force,
        } => verifier_page(VerifierPageArgs {
            out,
            genesis,
            witnesses,
            ledger,
            max_evidence_age,
            existing: Existing::from_force(force),
        }),
        Command::Verify {
            file,
            qr_text,
            qr_image,
            challenge,
            audience,
            max_age,
            max_evidence_age,
            state_dir,
            json,
            portrait_out,
            node,
            witnesses,
            ledger,
            genesis,
        } => {
            let text = match (file, qr_text) {
                (Some(f), _) => String::from_utf8(read(&f)?)
                    .map_err(|_| CliError::usage("usage-presentation-not-utf8", &[]))?,
                (None, Some(q)) => read_qr_text(&q)?,
                (None, None) if !qr_image.is_empty() => read_qr_images(&qr_image)?,
                (None, None) => return Err(CliError::usage("usage-no-presentation", &[])),
            };
            // Refused before the presentation is checked and its challenge spent.
            output_file::check_free(
                &portrait_out.iter().cloned().collect::<Vec<_>>(),
                Existing::Refuse,
            )?;
            let state_dir = state_dir.unwrap_or_else(|| data_dir().join("verifier"));
            let ledger_args = LedgerArgs {
                node,
                witnesses,
                ledger_file: ledger.zip(genesis),
            };
            verify(
                ctx,
                text.trim(),
                challenge.as_deref(),
                audience.as_deref(),
                max_age,
                max_evidence_age,
                &state_dir,
                json,
                &ledger_args,
                portrait_out.as_deref(),
            )
        }
    }
}
