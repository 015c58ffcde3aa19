//! Where the command line gets passphrases: a file, a systemd credential or an environment
//! variable, else the terminal.
//!
//! A command that needs a passphrase reads its variables (`NANSEN_PASSPHRASE` for the wallet,
//! `NANSEN_BACKUP_PASSPHRASE` for a backup, `NANSEN_REGISTRAR_PASSPHRASE` then
//! `NANSEN_PASSPHRASE` for a registrar's key file) by the rule both binaries share
//! ([`nansen_files::passphrase`]: each variable's `_FILE` form naming a file, then the systemd
//! credential `nansen-passphrase`, then the variables themselves), else asks
//! on the controlling terminal, which works even when standard input is a file or a pipe
//! (`nansen recover < phrase.txt`). Without a terminal (a script, a service, CI) and without
//! the variable, it fails with [`CliError::NoPassphrase`] naming the variables to set. A new
//! passphrase is asked twice on the terminal and must pass [`crate::passphrase::check_new`].

use super::*;

/// The wallet's passphrase.
pub(super) const WALLET_VARS: &[&str] = &["NANSEN_PASSPHRASE"];
/// A backup's passphrase.
pub(super) const BACKUP_VARS: &[&str] = &["NANSEN_BACKUP_PASSPHRASE"];
/// A registrar key file's passphrase.
pub(super) const REGISTRAR_VARS: &[&str] = &["NANSEN_REGISTRAR_PASSPHRASE", "NANSEN_PASSPHRASE"];

/// A passphrase from `vars`, else the terminal (asked with the message `prompt_key`, twice when
/// `confirm`).
pub(super) fn passphrase(
    lang: Lang,
    vars: &'static [&'static str],
    prompt_key: &str,
    confirm: bool,
) -> Result<Zeroizing<String>, CliError> {
    if let Some(p) = nansen_files::passphrase::passphrase_from_environment(vars)? {
        return Ok(p);
    }
    let prompt = |key: &str| {
        rpassword::prompt_password(tr(lang, key, &[]))
            .map(Zeroizing::new)
            .map_err(|cause| CliError::NoPassphrase { vars, cause })
    };
    let first = prompt(prompt_key)?;
    if confirm && *prompt("passphrase-confirm")? != *first {
        return Err(CliError::usage("passphrase-mismatch", &[]));
    }
    Ok(first)
}

/// A passphrase being chosen: as [`passphrase`], confirmed on the terminal, and refused by name
/// ([`CliError::WeakPassphrase`]) when too easy to guess.
pub(super) fn new_passphrase(
    lang: Lang,
    vars: &'static [&'static str],
    prompt_key: &str,
) -> Result<Zeroizing<String>, CliError> {
    let pass = passphrase(lang, vars, prompt_key, true)?;
    crate::passphrase::check_new(&pass)?;
    Ok(pass)
}
