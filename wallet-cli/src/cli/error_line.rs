//! The line `nansen` prints for an error: `Error: NAME: sentence`, the NAME a stable code that
//! tools search for, the sentence in the run's language. Every [`CliError`] variant, and every
//! variant of the errors it holds, is matched here without a catch-all arm: a new variant does
//! not compile until it has its texts.

use std::path::Path;

use super::{BackupError, CliError, Ctx};
use crate::i18n::tr;
use crate::ledger_check::LedgerError;
use crate::recovery::RecoveryError;
use crate::registrar_entries::RegistrarEntryError;
use crate::wallet::WalletError;
use crate::{qr, CredentialError};

/// The error line of `e` in the run's language: `Error: NAME: sentence`.
pub(super) fn error_line(ctx: &Ctx, e: &CliError) -> String {
    match parts(ctx, e) {
        Line::Whole(line) => line,
        Line::Named(name, text) => tr(ctx.lang, "error", &[&format!("{name}: {text}")]),
    }
}

/// `NAME: sentence` in the run's language, for a line that reports the error of one item
/// among others (`nansen status`).
pub(super) fn error_text(ctx: &Ctx, e: &CliError) -> String {
    match parts(ctx, e) {
        Line::Whole(line) => line,
        Line::Named(name, text) => format!("{name}: {text}"),
    }
}

/// An error told as one catalogue line (its name inside), or as its name and a sentence.
enum Line {
    Whole(String),
    Named(String, String),
}

fn parts(ctx: &Ctx, e: &CliError) -> Line {
    let name = match e {
        // A ledger file that cannot be read is named like any other file.
        CliError::Ledger(LedgerError::Io(..)) => "Io".to_owned(),
        _ => error_name(e),
    };
    let lang = ctx.lang;
    let show = |p: &Path| p.display().to_string();
    let text = match e {
        // The two lines whose whole text (with its name) is one catalogue message.
        CliError::Wallet(WalletError::WrongPassphrase) => {
            return Line::Whole(tr(lang, "wrong-passphrase", &[]))
        }
        CliError::Wallet(WalletError::Corrupted(why)) => {
            let bak = crate::wallet::backup_path(&ctx.wallet_path);
            return Line::Whole(tr(lang, "corrupted", &[why, &show(&bak)]));
        }
        CliError::Wallet(w) => wallet_text(ctx, w),
        CliError::NoPassphrase { vars, .. } => {
            let files: Vec<String> = vars.iter().map(|v| format!("{v}_FILE")).collect();
            return Line::Whole(tr(
                lang,
                "no-passphrase",
                &[&vars.join(" / "), &files.join(" / ")],
            ));
        }
        CliError::WeakPassphrase(weak) => {
            let advice = weak.advice.clone().unwrap_or_default();
            return Line::Whole(tr(
                lang,
                "weak-passphrase",
                &[&weak.score.to_string(), &advice],
            ));
        }
        CliError::Credential(CredentialError::InvalidClaims { kind, problems }) => {
            return Line::Whole(super::claims_help::invalid_claims(lang, *kind, problems))
        }
        CliError::OutputExists(path) => {
            return Line::Whole(tr(lang, "output-exists", &[&show(path)]))
        }
        CliError::Credential(c) => crate::i18n::credential_error(lang, c),
        CliError::Io(path, cause) => file_cause(ctx, &show(path), cause),
        CliError::RecoveryBackup(e) => recovery_backup_text(ctx, e),
        CliError::NotJson {
            key, what, source, ..
        } => {
            let fault = nansen_i18n::json_error(lang, source);
            tr(lang, key, &[what.as_deref().unwrap_or_default(), &fault])
        }
        CliError::PassphraseFile(p) => {
            use nansen_files::passphrase::PassphraseSourceError as P;
            match p {
                P::Unreadable { path, source } => file_cause(ctx, &show(path), source),
                P::Empty { path } => tr(lang, "passphrase-file-empty", &[&show(path)]),
            }
        }
        CliError::Recovery(r) => match r {
            RecoveryError::WordCount(n) => tr(lang, "recovery-word-count", &[&n.to_string()]),
            RecoveryError::UnknownWord(n) => tr(lang, "recovery-unknown-word", &[&n.to_string()]),
            RecoveryError::BadChecksum => tr(lang, "recovery-bad-checksum", &[]),
            RecoveryError::InvalidPhrase(why) => tr(lang, "recovery-invalid", &[why]),
            RecoveryError::Randomness => tr(lang, "wallet-randomness", &[]),
        },
        CliError::Qr(q) => qr_text(ctx, q),
        CliError::QrImage(path, q) => tr(lang, "file-cause", &[&show(path), &qr_text(ctx, q)]),
        CliError::Rejected { key, args } | CliError::Usage { key, args } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            tr(lang, key, &args)
        }
        CliError::RegistrarEntry(r) => match r {
            RegistrarEntryError::Node(n) => n.message(lang),
            // The ledger's identifier parser's words.
            RegistrarEntryError::BadIdentifier(why) => why.clone(),
            RegistrarEntryError::UnknownRegistrar(id) => {
                tr(lang, "entry-unknown-registrar", &[&format!("{id:?}")])
            }
            RegistrarEntryError::NotCurrentKey {
                registrar,
                given,
                current,
            } => tr(
                lang,
                "entry-not-current-key",
                &[given, &format!("{registrar:?}"), current],
            ),
            RegistrarEntryError::Entry(why) => tr(lang, "entry-not-made", &[why]),
            // The node's own words after its code.
            RegistrarEntryError::Refused { code, message } => {
                tr(lang, "entry-refused", &[code, message])
            }
        },
        CliError::Ledger(l) => match l {
            LedgerError::Node(n) => n.message(lang),
            LedgerError::Io(file, cause) => file_cause(ctx, file, cause),
            // What was wrong with the ledger's data, in the ledger crates' words.
            LedgerError::Bad(why) => tr(lang, "ledger-bad", &[why]),
            LedgerError::NodeAnswer { key, args } => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                tr(lang, key, &args)
            }
        },
        CliError::LedgerRefused { check, message, .. } => tr(
            lang,
            "ledger-refused",
            &[
                &crate::i18n::check_name(lang, check),
                &crate::i18n::check_detail(lang, message),
            ],
        ),
        CliError::Backup(b) => match b {
            BackupError::WrongBackupPassphrase => tr(lang, "import-wrong-passphrase", &[]),
            BackupError::BackupCorrupted(why) => tr(lang, "import-corrupted", &[why]),
            BackupError::BackupOfAnotherHolder { backup, wallet } => {
                tr(lang, "import-other-holder", &[backup, wallet])
            }
        },
        CliError::BundleNotPublished {
            pending,
            out,
            cause,
        } => tr(
            lang,
            "bundle-not-published",
            &[
                &show(out),
                &nansen_i18n::io_error(lang, cause),
                &show(pending),
            ],
        ),
        // Already in the run's language (`confirm`).
        CliError::NotConfirmed(text) => text.clone(),
    };
    Line::Named(name, text)
}

/// The wallet's errors other than the two told by a whole line.
fn wallet_text(ctx: &Ctx, e: &WalletError) -> String {
    let lang = ctx.lang;
    let show = |p: &Path| p.display().to_string();
    match e {
        WalletError::WrongPassphrase => tr(lang, "backup-wrong-key", &[]),
        WalletError::Corrupted(why) => tr(lang, "wallet-corrupted", &[why]),
        WalletError::UnsupportedVersion(v) => {
            tr(lang, "wallet-unsupported-version", &[&v.to_string()])
        }
        WalletError::NotFound(path) => tr(lang, "wallet-not-found", &[&show(path)]),
        WalletError::AlreadyExists(path) => tr(lang, "wallet-exists", &[&show(path)]),
        WalletError::Kdf(why) => tr(lang, "wallet-kdf", &[why]),
        WalletError::Randomness => tr(lang, "wallet-randomness", &[]),
        WalletError::NotOpenForUpdate => tr(lang, "wallet-read-only", &[]),
        WalletError::Io(cause) => file_cause(ctx, &show(&ctx.wallet_path), cause),
    }
}

/// A QR error: what was wrong, the decoder's or encoder's detail after it in its words.
fn qr_text(ctx: &Ctx, e: &qr::QrError) -> String {
    let lang = ctx.lang;
    match e {
        qr::QrError::BadQrText(why) => tr(lang, "qr-bad-text", &[why]),
        qr::QrError::QrOutput(why) => tr(lang, "qr-output", &[why]),
        qr::QrError::NotAnImage(why) => tr(lang, "qr-not-an-image", &[why]),
        qr::QrError::NoQrCode => tr(lang, "qr-none", &[]),
        qr::QrError::UnreadableQrCode(why) => tr(lang, "qr-unreadable", &[why]),
    }
}

/// A wallet error's cause in the run's language.
fn wallet_cause(ctx: &Ctx, e: &WalletError) -> String {
    match e {
        WalletError::Io(cause) => nansen_i18n::io_error(ctx.lang, cause),
        other => wallet_text(ctx, other),
    }
}

/// The automatic backup's errors in the run's language.
fn recovery_backup_text(ctx: &Ctx, e: &crate::recovery_backup::RecoveryBackupError) -> String {
    use crate::recovery_backup::RecoveryBackupError as R;
    let show = |p: &Path| p.display().to_string();
    match e {
        R::FolderMissing(dir) => tr(ctx.lang, "backup-folder-missing", &[&show(dir)]),
        R::NoBackup { folder, file } => tr(ctx.lang, "backup-none", &[&show(folder), file]),
        R::OtherHolder(file) => tr(ctx.lang, "backup-other-holder", &[&show(file)]),
        R::Unreadable(file, cause) => tr(
            ctx.lang,
            "backup-unreadable",
            &[&show(file), &wallet_cause(ctx, cause)],
        ),
        R::Write(file, cause) => tr(
            ctx.lang,
            "backup-not-written",
            &[&show(file), &wallet_cause(ctx, cause)],
        ),
    }
}

/// `FILE: why`, the why (the system's error) in the run's language.
fn file_cause(ctx: &Ctx, file: &str, cause: &std::io::Error) -> String {
    let why = nansen_i18n::io_error(ctx.lang, cause);
    tr(ctx.lang, "file-cause", &[file, &why])
}

/// The error's stable name, printed before its sentence.
fn error_name(e: &CliError) -> String {
    match e {
        CliError::Wallet(w) => w.name().to_owned(),
        CliError::Credential(c) => super::credential_error_name(c),
        CliError::Recovery(_) => "InvalidRecoveryPhrase".into(),
        CliError::Qr(q) | CliError::QrImage(_, q) => q.name().into(),
        CliError::Rejected { .. } => "CredentialRejected".into(),
        CliError::Io(..) => "Io".into(),
        CliError::NotJson { code, .. } => (*code).into(),
        CliError::Ledger(_) => "LedgerUnavailable".into(),
        CliError::LedgerRefused { error, .. } => error.clone(),
        CliError::RegistrarEntry(e) => match e {
            RegistrarEntryError::Refused { code, .. } => format!("EntryRefused({code})"),
            other => other.name().to_owned(),
        },
        CliError::Usage { .. } => "Usage".into(),
        CliError::NoPassphrase { .. } => "NoPassphrase".into(),
        CliError::PassphraseFile(_) => "PassphraseFile".into(),
        CliError::WeakPassphrase(_) => "WeakPassphrase".into(),
        CliError::OutputExists(_) => "OutputExists".into(),
        CliError::BundleNotPublished { .. } => "BundleNotPublished".into(),
        CliError::RecoveryBackup(e) => e.name().into(),
        CliError::NotConfirmed(_) => "NotConfirmed".into(),
        CliError::Backup(b) => b.name().to_owned(),
    }
}
