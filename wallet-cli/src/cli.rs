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

/// Nansen: civil-status credentials for displaced people (holder wallet, registrar issuance,
/// offline verification).
#[derive(Debug, Parser)]
#[command(name = "nansen", version)]
pub struct Cli {
    /// Wallet file (default: <data dir>/nansen/wallet.nansen).
    #[arg(long, global = true, env = "NANSEN_WALLET")]
    pub wallet: Option<PathBuf>,
    /// Message language: en, fr or ar (default: from LC_ALL / LC_MESSAGES / LANG).
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
        /// Also write a printable recovery sheet: FILE (a PNG QR code of the phrase; no
        /// fonts are bundled, so the words are not drawn in the image) and FILE with the
        /// extension .txt (the 24 numbered words and instructions). Both hold the secret
        /// phrase: print them, then delete them.
        #[arg(long, value_name = "FILE.png")]
        recovery_sheet: Option<PathBuf>,
    },
    /// Recreate the wallet from the recovery phrase (read from standard input).
    Recover {
        /// Replace an existing wallet file (the old one is kept as <file>.bak).
        #[arg(long)]
        force: bool,
        /// Also write a printable recovery sheet, as for `init`: FILE (PNG QR code of the
        /// phrase) and FILE with the extension .txt (the 24 numbered words).
        #[arg(long, value_name = "FILE.png")]
        recovery_sheet: Option<PathBuf>,
    },
    /// Encrypted backup of the whole wallet (holder key and credentials), under a backup
    /// passphrase (NANSEN_BACKUP_PASSPHRASE or the terminal), separate from the wallet's.
    Backup {
        /// export or import.
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Show the holder's did:key.
    Did,
    /// Check and store a credential bundle ({data_integrity, sd_jwt}) issued to this holder.
    Receive {
        /// The bundle file written by `nansen issue`.
        #[arg(long)]
        file: PathBuf,
    },
    /// List the credentials held, with their status as last checked.
    List,
    /// Show one credential (id in hex, urn:uuid:..., or a unique hex prefix).
    Show {
        /// Credential id.
        id: String,
    },
    /// (Registrar) issue a credential for a holder and write the bundle.
    Issue {
        /// Event kind: birth, death, marriage, divorce, adoption, name_change,
        /// identity_registration, refugee_status.
        #[arg(long)]
        kind: String,
        /// Claims file (a JSON object).
        #[arg(long)]
        claims: PathBuf,
        /// The holder's did:key.
        #[arg(long)]
        holder: String,
        /// The registrar's key file: a `nansen-node key generate --kind registrar` file
        /// (encrypted; passphrase from NANSEN_REGISTRAR_PASSPHRASE, NANSEN_PASSPHRASE or the
        /// terminal), or a file holding the 32-byte Ed25519 seed in hex.
        #[arg(long)]
        registrar_key: PathBuf,
        /// Where to write the bundle (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// (Registrar) serve the W3C VC API subset on a loopback address: POST /credentials/issue,
    /// /credentials/verify and /presentations/verify. Prints `listening on http://ADDR`.
    ServeVcApi {
        /// The registrar's key file (as for `issue`); credentials are issued as its did:key.
        #[arg(long)]
        registrar_key: PathBuf,
        /// Loopback address and port (127.0.0.1:PORT or [::1]:PORT; port 0 picks one).
        #[arg(long, default_value = "127.0.0.1:8790")]
        listen: std::net::SocketAddr,
    },
    /// (Verifier) print a fresh random challenge (nonce).
    Challenge {
        /// The verifier's identity (presentations must name it as audience).
        #[arg(long)]
        audience: String,
    },
    /// Present a credential: chosen claims, bound to a verifier's challenge and identity.
    Present {
        /// Credential id.
        id: String,
        /// Claims to disclose, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            conflicts_with = "profile",
            required_unless_present = "profile"
        )]
        claims: Vec<String>,
        /// A named set of claims: border (names, nationality, refugee status).
        #[arg(long)]
        profile: Option<String>,
        /// The verifier's challenge.
        #[arg(long)]
        challenge: String,
        /// The verifier's identity.
        #[arg(long)]
        audience: String,
        /// Where to write the presentation text.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also show the presentation as QR codes in the terminal.
        #[arg(long)]
        qr: bool,
        /// Also write the QR codes as PNG (several codes: name-1.png, name-2.png, ...).
        #[arg(long)]
        qr_png: Option<PathBuf>,
        /// Also write the QR codes' text (one `NS1:i/n:...` part per line).
        #[arg(long)]
        qr_text: Option<PathBuf>,
        /// Fetch the credential's portable ledger proof from this node's API
        /// (http://host:port) and carry it in a presentation envelope.
        #[arg(long)]
        node: Option<String>,
    },
    /// (Verifier) check a presentation against the challenge it issued.
    Verify {
        /// Presentation text file.
        #[arg(required_unless_present = "qr_text")]
        file: Option<PathBuf>,
        /// Read the presentation from scanned QR text (`NS1:i/n:...` parts) instead.
        #[arg(long, conflicts_with = "file")]
        qr_text: Option<PathBuf>,
        /// The challenge this verifier issued.
        #[arg(long)]
        challenge: String,
        /// This verifier's identity.
        #[arg(long)]
        audience: String,
        /// How old (seconds) the holder's signature may be.
        #[arg(long, default_value_t = 900)]
        max_age: i64,
        /// Directory of the verifier's used-nonce files
        /// (default: <data dir>/nansen/verifier).
        #[arg(long, env = "NANSEN_VERIFIER_DIR")]
        state_dir: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// A node's API (http://host:port): replica (its genesis and export), credential
        /// status, and its witness key when no --witness is given.
        #[arg(long)]
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
    /// e.g. recovered from the phrase). Nothing changes if the backup cannot be opened.
    Import {
        /// The backup file.
        file: PathBuf,
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
    /// A received credential is not for this holder or its two forms disagree.
    #[error("credential rejected: {0}")]
    Rejected(String),
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The node or the ledger file could not be used.
    #[error(transparent)]
    Ledger(#[from] crate::ledger_check::LedgerError),
    /// A backup could not be imported.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// Bad input.
    #[error("{0}")]
    Usage(String),
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
        p.memory_kib = m.max(8);
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
    fn passphrase(&self, confirm: bool) -> Result<Zeroizing<String>, CliError> {
        if let Ok(p) = std::env::var("NANSEN_PASSPHRASE") {
            return Ok(Zeroizing::new(p));
        }
        let prompt = |key: &str| {
            rpassword::prompt_password(tr(self.lang, key, &[]))
                .map(Zeroizing::new)
                .map_err(|e| CliError::Io(PathBuf::from("<terminal>"), e))
        };
        let first = prompt("passphrase-prompt")?;
        if confirm && *prompt("passphrase-confirm")? != *first {
            return Err(CliError::Usage(tr(self.lang, "passphrase-mismatch", &[])));
        }
        Ok(first)
    }

    fn open(&self) -> Result<Wallet, CliError> {
        let pass = self.passphrase(false)?;
        Ok(Wallet::open(&self.wallet_path, pass.as_bytes())?)
    }
}

/// Runs the binary: parses `std::env::args`, runs the command, returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let lang = Lang::choose(cli.lang.as_deref());
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

fn error_line(ctx: &Ctx, e: &CliError) -> String {
    match e {
        CliError::Wallet(WalletError::WrongPassphrase) => tr(ctx.lang, "wrong-passphrase", &[]),
        CliError::Wallet(WalletError::Corrupted(why)) => {
            let bak = crate::wallet::backup_path(&ctx.wallet_path);
            tr(ctx.lang, "corrupted", &[why, &bak.display().to_string()])
        }
        other => tr(
            ctx.lang,
            "error",
            &[&format!("{}: {other}", error_name(other))],
        ),
    }
}

fn error_name(e: &CliError) -> String {
    match e {
        CliError::Wallet(w) => format!("{w:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned(),
        CliError::Credential(c) => credential_error_name(c),
        CliError::Recovery(_) => "InvalidRecoveryPhrase".into(),
        CliError::Qr(_) => "BadQr".into(),
        CliError::Rejected(_) => "CredentialRejected".into(),
        CliError::Io(..) => "Io".into(),
        CliError::Ledger(_) => "LedgerUnavailable".into(),
        CliError::Usage(_) => "Usage".into(),
        CliError::Backup(b) => format!("{b:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The variant name of a credential error (`NonceMismatch`, `AudienceMismatch`, ...).
pub fn credential_error_name(e: &CredentialError) -> String {
    format!("{e:?}")
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn run(ctx: &Ctx, command: Command) -> Result<i32, CliError> {
    match command {
        Command::Init { recovery_sheet } => init(ctx, recovery_sheet.as_deref()),
        Command::Recover {
            force,
            recovery_sheet,
        } => recover(ctx, force, recovery_sheet.as_deref()),
        Command::Backup {
            action: BackupAction::Export { out },
        } => backup_export(ctx, &out),
        Command::Backup {
            action: BackupAction::Import { file },
        } => backup_import(ctx, &file),
        Command::Did => {
            let w = ctx.open()?;
            println!("{}", did::did_key_from_seed(&*w.data.seed()?));
            Ok(0)
        }
        Command::Receive { file } => receive(ctx, &file),
        Command::List => list(ctx),
        Command::Show { id } => show(ctx, &id),
        Command::Issue {
            kind,
            claims,
            holder,
            registrar_key,
            out,
        } => issue(&kind, &claims, &holder, &registrar_key, &out),
        Command::ServeVcApi {
            registrar_key,
            listen,
        } => {
            if !listen.ip().is_loopback() {
                return Err(CliError::Usage(format!(
                    "--listen {listen}: only a loopback address is served"
                )));
            }
            let seed = registrar_seed(&registrar_key)?;
            let listener = std::net::TcpListener::bind(listen)
                .map_err(|e| CliError::Io(PathBuf::from(listen.to_string()), e))?;
            let addr = listener
                .local_addr()
                .map_err(|e| CliError::Io(PathBuf::from(listen.to_string()), e))?;
            println!("listening on http://{addr}");
            println!("issuer={}", did::did_key_from_seed(&seed));
            let _ = std::io::stdout().flush();
            crate::vc_api::serve(listener, *seed)
                .map_err(|e| CliError::Io(PathBuf::from(addr.to_string()), e))?;
            Ok(0)
        }
        Command::Challenge { audience } => {
            let _ = audience;
            let mut nonce = [0u8; 16];
            getrandom::fill(&mut nonce).map_err(|_| CredentialError::Randomness)?;
            println!("{}", hex::encode(nonce));
            Ok(0)
        }
        Command::Present {
            id,
            claims,
            profile,
            challenge,
            audience,
            out,
            qr,
            qr_png,
            qr_text,
            node,
        } => present(
            ctx,
            PresentArgs {
                id,
                claims,
                profile,
                challenge,
                audience,
                out,
                qr,
                qr_png,
                qr_text,
                node,
            },
        ),
        Command::Verify {
            file,
            qr_text,
            challenge,
            audience,
            max_age,
            state_dir,
            json,
            node,
            witnesses,
            ledger,
            genesis,
        } => {
            let text = match (file, qr_text) {
                (Some(f), _) => String::from_utf8(read(&f)?)
                    .map_err(|_| CliError::Usage("presentation is not UTF-8".into()))?,
                (None, Some(q)) => qr::decode_parts(
                    &String::from_utf8(read(&q)?)
                        .map_err(|_| CliError::Usage("QR text is not UTF-8".into()))?,
                )?,
                (None, None) => return Err(CliError::Usage("no presentation given".into())),
            };
            let state_dir = state_dir.unwrap_or_else(|| data_dir().join("verifier"));
            let ledger_args = LedgerArgs {
                node,
                witnesses,
                ledger_file: ledger.zip(genesis),
            };
            verify(
                ctx,
                text.trim(),
                &challenge,
                &audience,
                max_age,
                &state_dir,
                json,
                &ledger_args,
            )
        }
    }
}

/// The text file of a recovery sheet: `<sheet>` with the extension `.txt`.
pub fn sheet_text_path(png: &Path) -> PathBuf {
    png.with_extension("txt")
}

/// Writes the recovery sheet: a PNG QR code of the phrase at `png` and the numbered words with
/// instructions at [`sheet_text_path`]. Both files are created readable by the owner only.
fn write_recovery_sheet(png: &Path, phrase: &str, did: &str) -> Result<PathBuf, CliError> {
    let txt = sheet_text_path(png);
    if txt == png {
        return Err(CliError::Usage(
            "--recovery-sheet: give a .png file name (the words go to <name>.txt)".into(),
        ));
    }
    let image = qr::png(phrase, 8)?;
    let mut text = String::from(
        "NANSEN WALLET - RECOVERY SHEET\n\n\
         These 24 words are the key to your wallet: anyone who has them can act as you with\n\
         your credentials. Keep this sheet private and safe, away from the phone.\n\n",
    );
    text.push_str(&format!("Your identifier (DID): {did}\n\n"));
    for (i, word) in phrase.split(' ').enumerate() {
        text.push_str(&format!("{:>2}. {word}\n", i + 1));
    }
    text.push_str(
        "\nTo recover the wallet on a new device: run `nansen recover` and type the 24 words in\n\
         order, separated by spaces (or scan the QR code of the PNG sheet, which holds the same\n\
         words). Then import your encrypted backup, if you have one: `nansen backup import FILE`.\n\
         Print this sheet, then delete the files from the computer.\n",
    );
    for (path, bytes) in [(png, image.as_slice()), (txt.as_path(), text.as_bytes())] {
        write_private(path, bytes)?;
    }
    Ok(txt)
}

/// Writes a file readable by its owner only (on Unix), replacing any previous one.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .map_err(|e| CliError::Io(path.to_path_buf(), e))
}

fn print_sheet_written(ctx: &Ctx, png: &Path, txt: &Path) {
    println!(
        "{}",
        tr(
            ctx.lang,
            "sheet-written",
            &[&png.display().to_string(), &txt.display().to_string()]
        )
    );
}

fn init(ctx: &Ctx, sheet: Option<&Path>) -> Result<i32, CliError> {
    if ctx.wallet_path.exists() {
        return Err(WalletError::AlreadyExists(ctx.wallet_path.clone()).into());
    }
    let pass = ctx.passphrase(true)?;
    let phrase = recovery::new_phrase()?;
    let seed = recovery::holder_seed_from_phrase(&phrase)?;
    // The sheet is written first: a wallet whose sheet could not be written is not created.
    let sheet_txt = match sheet {
        Some(png) => Some(write_recovery_sheet(
            png,
            &phrase,
            &did::did_key_from_seed(&seed),
        )?),
        None => None,
    };
    if let Err(e) = Wallet::create(
        &ctx.wallet_path,
        pass.as_bytes(),
        WalletData::new(&seed),
        kdf_params(),
    ) {
        if let (Some(png), Some(txt)) = (sheet, &sheet_txt) {
            let _ = std::fs::remove_file(png);
            let _ = std::fs::remove_file(txt);
        }
        return Err(e.into());
    }
    println!("{}", tr(ctx.lang, "phrase-header", &[]));
    println!();
    for (i, word) in phrase.split(' ').enumerate() {
        print!("{:>2}. {:<10}", i + 1, word);
        if i % 6 == 5 {
            println!();
        }
    }
    println!();
    let path = ctx.wallet_path.display().to_string();
    println!("{}", tr(ctx.lang, "wallet-created", &[&path]));
    println!(
        "{}",
        tr(ctx.lang, "holder-did", &[&did::did_key_from_seed(&seed)])
    );
    if let (Some(png), Some(txt)) = (sheet, &sheet_txt) {
        print_sheet_written(ctx, png, txt);
    }
    Ok(0)
}

fn recover(ctx: &Ctx, force: bool, sheet: Option<&Path>) -> Result<i32, CliError> {
    if ctx.wallet_path.exists() && !force {
        return Err(WalletError::AlreadyExists(ctx.wallet_path.clone()).into());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("{}", tr(ctx.lang, "phrase-prompt", &[]));
    }
    let mut phrase = Zeroizing::new(String::new());
    stdin
        .lock()
        .read_line(&mut phrase)
        .map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
    let seed = recovery::holder_seed_from_phrase(&phrase)?;
    let pass = ctx.passphrase(true)?;
    if force && ctx.wallet_path.exists() {
        Wallet::create_replacing(
            &ctx.wallet_path,
            pass.as_bytes(),
            WalletData::new(&seed),
            kdf_params(),
        )?;
    } else {
        Wallet::create(
            &ctx.wallet_path,
            pass.as_bytes(),
            WalletData::new(&seed),
            kdf_params(),
        )?;
    }
    let path = ctx.wallet_path.display().to_string();
    println!("{}", tr(ctx.lang, "wallet-recovered", &[&path]));
    let holder = did::did_key_from_seed(&seed);
    println!("{}", tr(ctx.lang, "holder-did", &[&holder]));
    if let Some(png) = sheet {
        // The phrase as typed may differ in case and spacing: the sheet shows it normalized.
        let words = Zeroizing::new(
            phrase
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let txt = write_recovery_sheet(png, &words, &holder)?;
        print_sheet_written(ctx, png, &txt);
    }
    Ok(0)
}

fn backup_passphrase(ctx: &Ctx, confirm: bool) -> Result<Zeroizing<String>, CliError> {
    if let Ok(p) = std::env::var("NANSEN_BACKUP_PASSPHRASE") {
        return Ok(Zeroizing::new(p));
    }
    let prompt = |key: &str| {
        rpassword::prompt_password(tr(ctx.lang, key, &[]))
            .map(Zeroizing::new)
            .map_err(|e| CliError::Io(PathBuf::from("<terminal>"), e))
    };
    let first = prompt("backup-passphrase-prompt")?;
    if confirm && *prompt("passphrase-confirm")? != *first {
        return Err(CliError::Usage(tr(ctx.lang, "passphrase-mismatch", &[])));
    }
    Ok(first)
}

fn backup_export(ctx: &Ctx, out: &Path) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let pass = backup_passphrase(ctx, true)?;
    let bytes = crate::wallet::seal_backup(&w.data, pass.as_bytes(), kdf_params())?;
    crate::wallet::atomic_write(out, &bytes)?;
    let n = w.data.credentials.len().to_string();
    println!(
        "{}",
        tr(
            ctx.lang,
            "backup-written",
            &[&n, &out.display().to_string()]
        )
    );
    Ok(0)
}

/// Merges `backup`'s credentials into `into`: a credential not held is added; one held is
/// replaced only by a copy checked more recently. Returns (added, already held).
pub fn merge_credentials(into: &mut WalletData, backup: &WalletData) -> (usize, usize) {
    let (mut added, mut held) = (0, 0);
    for c in &backup.credentials {
        match into.credentials.iter_mut().find(|h| h.id == c.id) {
            Some(h) => {
                held += 1;
                if c.status.checked_at > h.status.checked_at {
                    *h = c.clone();
                }
            }
            None => {
                added += 1;
                into.credentials.push(c.clone());
            }
        }
    }
    (added, held)
}

fn backup_import(ctx: &Ctx, file: &Path) -> Result<i32, CliError> {
    let bytes = read(file)?;
    let mut w = ctx.open()?;
    let pass = backup_passphrase(ctx, false)?;
    let backup = crate::wallet::open_backup(&bytes, pass.as_bytes()).map_err(|e| match e {
        WalletError::WrongPassphrase => CliError::Backup(BackupError::WrongBackupPassphrase),
        WalletError::Corrupted(why) => CliError::Backup(BackupError::BackupCorrupted(why)),
        WalletError::UnsupportedVersion(v) => {
            CliError::Backup(BackupError::BackupCorrupted(format!("format version {v}")))
        }
        other => CliError::Wallet(other),
    })?;
    let wallet_did = did::did_key_from_seed(&*w.data.seed()?);
    let backup_did = did::did_key_from_seed(&*backup.seed()?);
    if wallet_did != backup_did {
        return Err(BackupError::BackupOfAnotherHolder {
            backup: backup_did,
            wallet: wallet_did,
        }
        .into());
    }
    let (added, held) = merge_credentials(&mut w.data, &backup);
    if added > 0 || held > 0 {
        w.save()?;
    }
    println!(
        "{}",
        tr(
            ctx.lang,
            "backup-imported",
            &[&added.to_string(), &held.to_string()]
        )
    );
    Ok(0)
}

/// Checks a received bundle against the holder's key; returns what the wallet stores.
pub fn check_bundle(
    bundle: &Value,
    holder_seed: &[u8; 32],
    now: i64,
) -> Result<StoredCredential, CliError> {
    let reject = |m: &str| CliError::Rejected(m.to_owned());
    let di = bundle
        .get("data_integrity")
        .ok_or_else(|| reject("bundle has no data_integrity"))?;
    let sd = bundle
        .get("sd_jwt")
        .and_then(Value::as_str)
        .ok_or_else(|| reject("bundle has no sd_jwt"))?;
    let holder_key = did::public_key_from_seed(holder_seed);
    let holder_did = did::did_key_from_public_key(&holder_key);
    let verified = crate::verify_data_integrity_credential(di, now)?;
    let contents = &verified.contents;
    if contents.holder_did != holder_did {
        return Err(reject("the credential is for another holder"));
    }
    let issuer_key = did::public_key_from_did_key(&contents.issuer_did)?;
    let claims = sd_jwt::verify_issuer_part(sd, &issuer_key, Some(sd_jwt::SD_JWT_VC_TYP), now)?;
    let text = |n: &str| claims.get(n).and_then(Value::as_str).unwrap_or_default();
    if text("iss") != contents.issuer_did {
        return Err(reject("the two forms have different issuers"));
    }
    if text("sub") != holder_did {
        return Err(reject("the SD-JWT is for another holder"));
    }
    if text("jti") != credential::id_to_urn(&contents.id) {
        return Err(reject("the two forms have different ids"));
    }
    if text("vct") != contents.claims.kind().vct() {
        return Err(reject("the two forms have different kinds"));
    }
    let cnf = claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .and_then(|j| j.get("x"))
        .and_then(Value::as_str);
    if cnf != Some(URL_SAFE_NO_PAD.encode(holder_key).as_str()) {
        return Err(reject("the SD-JWT is bound to another key"));
    }
    for (name, value) in contents.claims.iter() {
        if claims.get(name).and_then(Value::as_str) != Some(value) {
            return Err(reject(&format!("the two forms disagree on {name}")));
        }
    }
    Ok(StoredCredential {
        id: hex::encode(contents.id),
        kind: contents.claims.kind().name().to_owned(),
        issuer: contents.issuer_did.clone(),
        data_integrity: di.clone(),
        sd_jwt: sd.to_owned(),
        received_at: now,
        status: CheckedStatus {
            state: "signatures-verified-offline".into(),
            checked_at: now,
        },
    })
}

fn receive(ctx: &Ctx, file: &Path) -> Result<i32, CliError> {
    let bundle: Value = serde_json::from_slice(&read(file)?)
        .map_err(|e| CliError::Rejected(format!("not JSON: {e}")))?;
    let mut w = ctx.open()?;
    let stored = check_bundle(&bundle, &*w.data.seed()?, now())?;
    let (id, kind) = (stored.id.clone(), stored.kind.clone());
    w.data.credentials.retain(|c| c.id != stored.id);
    w.data.credentials.push(stored);
    w.save()?;
    println!("{}", tr(ctx.lang, "received", &[&id, &kind]));
    Ok(0)
}

fn list(ctx: &Ctx) -> Result<i32, CliError> {
    let w = ctx.open()?;
    if w.data.credentials.is_empty() {
        println!("{}", tr(ctx.lang, "no-credentials", &[]));
    }
    for c in &w.data.credentials {
        let checked = credential::format_timestamp(c.status.checked_at).unwrap_or_default();
        println!(
            "{}  {:<22} {}  {} ({})",
            c.id, c.kind, c.issuer, c.status.state, checked
        );
    }
    Ok(0)
}

fn find<'a>(w: &'a Wallet, id: &str) -> Result<&'a StoredCredential, CliError> {
    let wanted = id
        .trim()
        .trim_start_matches("urn:uuid:")
        .replace('-', "")
        .to_ascii_lowercase();
    let matches: Vec<_> = w
        .data
        .credentials
        .iter()
        .filter(|c| !wanted.is_empty() && c.id.starts_with(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::Usage(format!("no credential {id}"))),
        _ => Err(CliError::Usage(format!("{id} matches several credentials"))),
    }
}

fn show(ctx: &Ctx, id: &str) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let c = find(&w, id)?;
    let subject = c.data_integrity.get("credentialSubject").cloned();
    let out = json!({
        "id": c.id,
        "urn": c.data_integrity.get("id"),
        "kind": c.kind,
        "issuer": c.issuer,
        "validFrom": c.data_integrity.get("validFrom"),
        "claims": subject,
        "status": c.status.state,
        "checkedAt": credential::format_timestamp(c.status.checked_at).ok(),
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    Ok(0)
}

fn issue(
    kind: &str,
    claims: &Path,
    holder: &str,
    registrar_key: &Path,
    out: &Path,
) -> Result<i32, CliError> {
    let kind: EventKind = parse_event_kind(kind)?;
    let claims: Value = serde_json::from_slice(&read(claims)?)
        .map_err(|e| CliError::Usage(format!("claims file: {e}")))?;
    did::public_key_from_did_key(holder)?;
    let seed = registrar_seed(registrar_key)?;
    let issued = crate::issue(kind, &claims, holder, &seed, now())?;
    let bundle = json!({
        "id": credential::id_to_urn(&issued.id),
        "kind": kind.name(),
        "di_digest": hex::encode(issued.di_digest),
        "sd_digest": hex::encode(issued.sd_digest),
        "data_integrity": issued.data_integrity,
        "sd_jwt": issued.sd_jwt,
    });
    let text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    write(out, text.as_bytes())?;
    println!("id={}", hex::encode(issued.id));
    println!("urn={}", credential::id_to_urn(&issued.id));
    println!("kind={}", kind.name());
    println!("di_digest={}", hex::encode(issued.di_digest));
    println!("sd_digest={}", hex::encode(issued.sd_digest));
    println!("issuer={}", did::did_key_from_seed(&seed));
    Ok(0)
}

/// Claims of the `border` profile, kept when the credential has them.
pub const BORDER_PROFILE: &[&str] = &[
    "givenName",
    "familyName",
    "nationality",
    "countryOfOrigin",
    "hostCountry",
    "statusGrantedDate",
    "caseNumber",
];

struct PresentArgs {
    id: String,
    claims: Vec<String>,
    profile: Option<String>,
    challenge: String,
    audience: String,
    out: Option<PathBuf>,
    qr: bool,
    qr_png: Option<PathBuf>,
    qr_text: Option<PathBuf>,
    node: Option<String>,
}

fn png_path(base: &Path, i: usize, n: usize) -> PathBuf {
    if n == 1 {
        return base.to_path_buf();
    }
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "qr".into());
    base.with_file_name(format!("{stem}-{}.png", i + 1))
}

fn present(ctx: &Ctx, a: PresentArgs) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let c = find(&w, &a.id)?;
    let held: Vec<String> = c
        .data_integrity
        .get("credentialSubject")
        .and_then(Value::as_object)
        .map(|m| m.keys().filter(|k| *k != "id").cloned().collect())
        .unwrap_or_default();
    let disclose: Vec<String> = match a.profile.as_deref() {
        Some("border") => BORDER_PROFILE
            .iter()
            .filter(|n| held.iter().any(|h| h == *n))
            .map(|n| n.to_string())
            .collect(),
        Some(other) => return Err(CliError::Usage(format!("unknown profile {other}"))),
        None => a
            .claims
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    let refs: Vec<&str> = disclose.iter().map(String::as_str).collect();
    let seed = w.data.seed()?;
    let sd_jwt = crate::present_sd_jwt(&c.sd_jwt, &refs, &seed, &a.challenge, &a.audience, now())?;
    let text = match &a.node {
        None => sd_jwt,
        Some(url) => {
            let node = NodeClient::new(url).map_err(ledger_check::LedgerError::from)?;
            let mut id = [0u8; 16];
            hex::decode_to_slice(&c.id, &mut id)
                .map_err(|_| CliError::Usage(format!("stored credential id {}", c.id)))?;
            let (proof, status) = ledger_check::fetch_proof(&node, &id)?;
            if status != "active" {
                eprintln!("{}", tr(ctx.lang, "status-warning", &[&status]));
            }
            ledger_check::envelope_text(&sd_jwt, Some(proof))
        }
    };
    match &a.out {
        Some(out) => {
            write(out, text.as_bytes())?;
            eprintln!(
                "{}",
                tr(
                    ctx.lang,
                    "presentation-written",
                    &[&out.display().to_string()]
                )
            );
        }
        None if !a.qr && a.qr_png.is_none() && a.qr_text.is_none() => println!("{text}"),
        None => {}
    }
    let parts = qr::encode_parts(&text);
    let n = parts.len();
    if let Some(path) = &a.qr_text {
        write(path, (parts.join("\n") + "\n").as_bytes())?;
    }
    if let Some(base) = &a.qr_png {
        for (i, part) in parts.iter().enumerate() {
            let path = png_path(base, i, n);
            write(&path, &qr::png(part, 4)?)?;
            let (i, n) = ((i + 1).to_string(), n.to_string());
            eprintln!(
                "{}",
                tr(
                    ctx.lang,
                    "qr-written",
                    &[&i, &n, &path.display().to_string()]
                )
            );
        }
    }
    if a.qr {
        let mut out = std::io::stdout().lock();
        for (i, part) in parts.iter().enumerate() {
            let _ = writeln!(out, "[{}/{}]", i + 1, n);
            let _ = writeln!(out, "{}", qr::terminal(part)?);
        }
    }
    Ok(0)
}

/// The checks a verifier reports, in the order they run.
pub const CHECKS: &[&str] = &[
    "format",
    "issuer-signature",
    "disclosures",
    "holder-binding",
    "challenge",
    "audience",
    "freshness",
    "integrity",
    "claims",
    "replay",
];

/// The check a verification error belongs to.
pub fn check_of(e: &CredentialError) -> &'static str {
    use CredentialError as E;
    match e {
        E::MalformedSdJwt(_) | E::WrongJwtAlgorithm(_) | E::WrongJwtType(_) => "format",
        E::InvalidIssuerSignature | E::InvalidIssuerClaims(_) | E::InvalidDidKey(_) => {
            "issuer-signature"
        }
        E::InvalidPublicKey => "issuer-signature",
        E::UnknownDisclosure(_) => "disclosures",
        E::MissingKeyBinding
        | E::MissingHolderKey
        | E::MalformedKeyBinding(_)
        | E::InvalidKeyBindingSignature => "holder-binding",
        E::NonceMismatch => "challenge",
        E::AudienceMismatch => "audience",
        E::StaleKeyBinding { .. } => "freshness",
        E::SdHashMismatch => "integrity",
        _ => "claims",
    }
}

fn nonce_file(state_dir: &Path, audience: &str) -> PathBuf {
    use sha2::Digest as _;
    let h = sha2::Sha256::digest(audience.as_bytes());
    state_dir.join(format!("used-nonces-{}.txt", hex::encode(&h[..8])))
}

/// Records `nonce` as used; false if it was used before. Entries older than the retention
/// (2 × max_age + 1 day) are dropped: a replay that late fails the freshness check anyway.
fn use_nonce(
    state_dir: &Path,
    audience: &str,
    nonce: &str,
    now: i64,
    max_age: i64,
) -> Result<bool, CliError> {
    let path = nonce_file(state_dir, audience);
    let existing = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(CliError::Io(path, e)),
    };
    let retention = 2 * max_age.max(0) + 86_400;
    let mut kept = String::new();
    let mut seen = false;
    for line in existing.lines() {
        let mut it = line.split(' ');
        let (Some(n), Some(t)) = (it.next(), it.next().and_then(|t| t.parse::<i64>().ok())) else {
            continue;
        };
        if n == nonce {
            seen = true;
        }
        if now - t <= retention {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if seen {
        return Ok(false);
    }
    kept.push_str(&format!("{nonce} {now}\n"));
    std::fs::create_dir_all(state_dir).map_err(|e| CliError::Io(state_dir.to_path_buf(), e))?;
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    write(&tmp, kept.as_bytes())?;
    std::fs::rename(&tmp, &path).map_err(|e| CliError::Io(path.clone(), e))?;
    Ok(true)
}

/// What the verifier brings for the ledger checks.
pub struct LedgerArgs {
    /// `--node`.
    pub node: Option<String>,
    /// `--witness`, repeated.
    pub witnesses: Vec<String>,
    /// `--ledger` and `--genesis`.
    pub ledger_file: Option<(PathBuf, PathBuf)>,
}

impl LedgerArgs {
    fn any(&self) -> bool {
        self.node.is_some() || !self.witnesses.is_empty() || self.ledger_file.is_some()
    }
}

/// The ledger sources named by the arguments: node, witness keys, replica, network.
struct LedgerSetup {
    node: Option<NodeClient>,
    witnesses: Vec<ledger::checkpoint::VerifierKey>,
    replica: Option<ledger_check::Replica>,
    network: Option<ledger::types::NetworkId>,
}

fn ledger_setup(args: &LedgerArgs) -> Result<LedgerSetup, CliError> {
    let node = args
        .node
        .as_deref()
        .map(NodeClient::new)
        .transpose()
        .map_err(ledger_check::LedgerError::from)?;
    let mut witnesses = Vec::new();
    for w in &args.witnesses {
        witnesses.push(
            ledger::checkpoint::VerifierKey::parse(w)
                .map_err(|e| CliError::Usage(format!("--witness {w}: {e}")))?,
        );
    }
    if witnesses.is_empty() {
        if let Some(n) = &node {
            witnesses = ledger_check::node_witness_keys(n)?;
        }
    }
    let replica = match (&args.ledger_file, &node) {
        (Some((l, g)), _) => Some(ledger_check::replica_from_file(l, g)?),
        (None, Some(n)) => Some(ledger_check::replica_from_node(n)?),
        (None, None) => None,
    };
    let network = match (&replica, &node) {
        (Some(r), _) => Some(r.store.network()),
        (None, Some(n)) => {
            let (id, _) = ledger_check::node_network(n)?;
            ledger::types::Hash32::from_hex(&id)
        }
        (None, None) => None,
    };
    if let (Some(r), Some(n)) = (&replica, &node) {
        let (id, _) = ledger_check::node_network(n)?;
        if r.store.network().to_hex() != id {
            return Err(CliError::Usage(
                "the node and the genesis file are for different networks".into(),
            ));
        }
    }
    Ok(LedgerSetup {
        node,
        witnesses,
        replica,
        network,
    })
}

#[allow(clippy::too_many_arguments)]
fn verify(
    ctx: &Ctx,
    text: &str,
    challenge: &str,
    audience: &str,
    max_age: i64,
    state_dir: &Path,
    json_out: bool,
    ledger_args: &LedgerArgs,
) -> Result<i32, CliError> {
    let now = now();
    let request = crate::KeyBindingRequest {
        nonce: challenge,
        audience,
        now,
        max_age_secs: max_age,
    };
    // The nonce is recorded in hex so that any text fits on one line of the nonce file.
    let nonce_key = hex::encode(challenge.as_bytes());
    let (outcome, proof) = match ledger_check::open_presentation(text) {
        Ok((sd, proof)) => (crate::verify_sd_jwt_presentation(&sd, &request), proof),
        Err(e) => (Err(CredentialError::MalformedSdJwt(e)), None),
    };
    let (failed, detail, disclosed) = match outcome {
        Ok(d) => {
            if use_nonce(state_dir, audience, &nonce_key, now, max_age)? {
                (None, String::new(), Some(d))
            } else {
                (
                    Some("replay"),
                    "NonceReused: this challenge was already used".to_owned(),
                    Some(d),
                )
            }
        }
        Err(e) => (
            Some(check_of(&e)),
            format!("{}: {e}", credential_error_name(&e)),
            None,
        ),
    };
    // The ledger checks run on a presentation that passed every check above.
    let report = match disclosed.as_ref().filter(|_| failed.is_none()) {
        Some(d) if ledger_args.any() || proof.is_some() => {
            let setup = ledger_setup(ledger_args)?;
            let presented = ledger_check::Presented {
                id: d.id,
                sd_digest: d.sd_digest,
                issuer_did: &d.issuer_did,
                issuer_key: did::public_key_from_did_key(&d.issuer_did)?,
                kind: d.kind.name(),
            };
            let sources = ledger_check::Sources {
                proof: proof.as_ref(),
                network: setup.network,
                witnesses: &setup.witnesses,
                replica: setup.replica.as_ref(),
                node: setup.node.as_ref(),
            };
            Some(ledger_check::run_checks(&presented, &sources, now))
        }
        _ => None,
    };
    let ledger_failed = report.as_ref().and_then(|r| {
        r.checks
            .iter()
            .find(|c| matches!(c.outcome, Outcome::Fail(_)))
            .map(|c| c.name)
    });
    let failed_at = failed.and_then(|f| CHECKS.iter().position(|c| *c == f));
    let results: Vec<(&str, &str)> = CHECKS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = match failed_at {
                Some(f) if i == f => "check-fail",
                Some(f) if i > f => "check-not-run",
                _ => "check-pass",
            };
            (*c, r)
        })
        .collect();
    // Ledger checks not run (presentation failed) or skipped (nothing to check against).
    let ledger_results: Vec<(&str, &str, String)> = match &report {
        Some(r) => r
            .checks
            .iter()
            .map(|c| match &c.outcome {
                Outcome::Pass => (c.name, "check-pass", c.detail.clone()),
                Outcome::Fail(e) => (c.name, "check-fail", format!("{e}: {}", c.detail)),
                Outcome::Skip => (c.name, "check-skip", c.detail.clone()),
            })
            .collect(),
        None => ledger_check::LEDGER_CHECKS
            .iter()
            .map(|n| {
                if failed.is_some() {
                    (*n, "check-not-run", String::new())
                } else {
                    (
                        *n,
                        "check-skip",
                        "no ledger proof, node or ledger file".into(),
                    )
                }
            })
            .collect(),
    };
    let valid = failed.is_none() && ledger_failed.is_none();
    let failed_name = failed.or(ledger_failed);
    // A replayed presentation's claims are not shown: the verdict is what counts.
    let shown = disclosed.as_ref().filter(|_| failed.is_none());
    if json_out {
        let mut checks: Vec<Value> = results
            .iter()
            .map(|(c, r)| {
                let result = match *r {
                    "check-fail" => "fail",
                    "check-not-run" => "not-run",
                    _ => "pass",
                };
                let mut o = json!({"name": c, "result": result});
                if *r == "check-fail" {
                    o["detail"] = json!(detail);
                }
                o
            })
            .collect();
        for (name, r, d) in &ledger_results {
            let result = match *r {
                "check-fail" => "fail",
                "check-not-run" => "not-run",
                "check-skip" => "skip",
                _ => "pass",
            };
            let mut o = json!({"name": name, "result": result, "detail": d});
            if let Some(Outcome::Fail(e)) = report.as_ref().and_then(|rep| {
                rep.checks
                    .iter()
                    .find(|c| c.name == *name)
                    .map(|c| c.outcome.clone())
            }) {
                o["error"] = json!(e);
            }
            checks.push(o);
        }
        let mut out = json!({
            "verdict": if valid { "valid" } else { "invalid" },
            "checks": checks,
            "ledger": report.as_ref().map(|r| r.info.clone()).unwrap_or(json!("not-checked")),
        });
        if let Some(d) = shown {
            out["credential"] = json!({
                "id": hex::encode(d.id),
                "kind": d.kind.name(),
                "issuer": d.issuer_did,
                "holder": d.holder_did,
                "issuedAt": d.issued_at,
                "sdDigest": hex::encode(d.sd_digest),
            });
            out["disclosed"] = Value::Object(d.claims.clone());
        }
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for (c, r) in &results {
            let mut line = format!("{:<20} {}", c, tr(ctx.lang, r, &[]));
            if *r == "check-fail" {
                line.push_str(&format!("  ({detail})"));
            }
            println!("{line}");
        }
        for (c, r, d) in &ledger_results {
            let mut line = format!("{:<20} {}", c, tr(ctx.lang, r, &[]));
            if !d.is_empty() {
                line.push_str(&format!("  ({d})"));
            }
            println!("{line}");
        }
        if let Some(d) = shown {
            println!("{}", tr(ctx.lang, "disclosed", &[]));
            let claims: &Map<String, Value> = &d.claims;
            for (k, v) in claims {
                println!("  {k}: {}", v.as_str().unwrap_or_default());
            }
            println!("  (kind: {}, issuer: {})", d.kind.name(), d.issuer_did);
        }
        if report.is_none() {
            println!("{}", tr(ctx.lang, "ledger-unchecked", &[]));
        }
        match failed_name {
            None => println!("{}", tr(ctx.lang, "verdict-pass", &[])),
            Some(f) => println!("{}", tr(ctx.lang, "verdict-fail", &[f])),
        }
    }
    Ok(if valid { 0 } else { 1 })
}

/// Reads the registrar's signing seed: a `nansen-key/1` file as `nansen-node key generate`
/// writes (Argon2id, then XChaCha20-Poly1305 with `nansen-key/1\nregistrar\n<public hex>` as
/// associated data), or 64 hex characters.
fn registrar_seed(path: &Path) -> Result<Zeroizing<[u8; 32]>, CliError> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let key_text = Zeroizing::new(read(path)?);
    let text = std::str::from_utf8(&key_text)
        .map_err(|_| CliError::Usage("registrar key file: not text".into()))?
        .trim();
    let mut seed = Zeroizing::new([0u8; 32]);
    if !text.starts_with('{') {
        hex::decode_to_slice(text, seed.as_mut()).map_err(|_| {
            CliError::Usage("registrar key file: expected 64 hex characters".into())
        })?;
        return Ok(seed);
    }
    let bad = |what: &str| CliError::Usage(format!("registrar key file: {what}"));
    let file: Value = serde_json::from_str(text).map_err(|_| bad("not JSON"))?;
    let field = |n: &str| file[n].as_str().unwrap_or_default();
    if field("format") != "nansen-key/1"
        || field("cipher") != "xchacha20poly1305"
        || file["kdf"]["algorithm"] != "argon2id"
    {
        return Err(bad("unknown format, cipher or KDF"));
    }
    if field("kind") != "registrar" {
        return Err(bad("not a registrar key"));
    }
    let cost = |n: &str| {
        file["kdf"][n]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| bad("KDF parameters"))
    };
    let (m, t, p) = (cost("m_cost_kib")?, cost("t_cost")?, cost("p_cost")?);
    if m > 1024 * 1024 || t > 16 || p > 16 {
        return Err(bad("KDF parameters"));
    }
    let b64 = |v: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(v)
            .map_err(|_| bad("base64"))
    };
    let salt = b64(file["kdf"]["salt"].as_str().unwrap_or_default())?;
    let nonce: [u8; 24] = b64(field("nonce"))?.try_into().map_err(|_| bad("nonce"))?;
    let ciphertext = b64(field("ciphertext"))?;
    let pass = match std::env::var("NANSEN_REGISTRAR_PASSPHRASE")
        .or_else(|_| std::env::var("NANSEN_PASSPHRASE"))
    {
        Ok(p) => Zeroizing::new(p),
        Err(_) => rpassword::prompt_password("Registrar key passphrase: ")
            .map(Zeroizing::new)
            .map_err(|e| CliError::Io(PathBuf::from("<terminal>"), e))?,
    };
    let params = argon2::Params::new(m, t, p, Some(32)).map_err(|_| bad("KDF parameters"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(pass.as_bytes(), &salt, key.as_mut())
        .map_err(|_| bad("KDF failed"))?;
    let aad = format!("nansen-key/1\nregistrar\n{}", field("public_key"));
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(key.as_ref().into())
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| bad("wrong passphrase or altered file"))?,
    );
    if plain.len() != 32 {
        return Err(bad("seed length"));
    }
    seed.copy_from_slice(&plain);
    if hex::encode(did::public_key_from_seed(&seed)) != field("public_key") {
        return Err(bad("the public key does not match the seed"));
    }
    Ok(seed)
}
