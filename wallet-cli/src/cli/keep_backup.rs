//! The wallet's automatic backup from the command line: `backup auto` chooses its folder,
//! every change of the wallet rewrites it ([`save`]), and `recover --backup` brings the
//! credentials back from it with the recovery phrase alone (format: [`recovery_backup`]).

use super::*;
use crate::recovery_backup::{self, RecoveryBackupError};

/// Saves the wallet, then rewrites its automatic backup if it keeps one. A backup that cannot
/// be written (the USB stick removed) does not undo the wallet's change: the holder is warned
/// by name and the next change tries again.
pub(super) fn save(ctx: &Ctx, w: &Wallet) -> Result<(), CliError> {
    w.save()?;
    keep_backup(ctx, &w.data);
    Ok(())
}

/// Rewrites the automatic backup of `data` if it has a folder; warns when it cannot.
pub(super) fn keep_backup(ctx: &Ctx, data: &WalletData) {
    let Some(folder) = &data.backup_dir else {
        return;
    };
    if let Err(e) = recovery_backup::write(folder, data) {
        eprintln!(
            "{}",
            tr(ctx.lang, "auto-backup-failed", &[e.name(), &e.to_string()])
        );
    }
}

/// `nansen backup auto --dir FOLDER` (keep the backup there from now on, written at once) or
/// `--off` (stop keeping it; the file already written stays).
pub(super) fn backup_auto(ctx: &Ctx, dir: Option<&Path>, off: bool) -> Result<i32, CliError> {
    let mut w = ctx.open_for_update()?;
    match (dir, off) {
        (Some(dir), false) => {
            if !dir.is_dir() {
                return Err(RecoveryBackupError::FolderMissing(dir.to_path_buf()).into());
            }
            let folder = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            w.data.backup_dir = Some(folder.clone());
            // The backup is written first: a folder that cannot take it is not recorded.
            let file = recovery_backup::write(&folder, &w.data)?;
            w.save()?;
            let n = w.data.credentials.len().to_string();
            println!(
                "{}",
                tr(
                    ctx.lang,
                    "auto-backup-on",
                    &[&n, &file.display().to_string()]
                )
            );
        }
        (None, true) => {
            w.data.backup_dir = None;
            w.save()?;
            println!("{}", tr(ctx.lang, "auto-backup-off", &[]));
        }
        _ => return Err(CliError::usage("usage-backup-auto", &[])),
    }
    Ok(0)
}

/// The wallet data of a recovery: the credentials of the backup at `backup` (a file, or the
/// folder holding it) when given, the automatic backup then kept in the backup's folder.
pub(super) fn recovered_data(
    seed: &[u8; 32],
    backup: Option<&Path>,
) -> Result<WalletData, CliError> {
    let Some(path) = backup else {
        return Ok(WalletData::new(seed));
    };
    let mut data = recovery_backup::read(path, seed)?;
    let file = recovery_backup::locate(path, seed);
    let folder = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    data.backup_dir = Some(std::path::absolute(&folder).unwrap_or(folder));
    Ok(data)
}

/// What `recover` says about the credentials: restored from the backup, or where they come
/// back from.
pub(super) fn print_recovered_credentials(ctx: &Ctx, data: &WalletData) {
    match &data.backup_dir {
        Some(folder) => println!(
            "{}",
            tr(
                ctx.lang,
                "recovered-from-backup",
                &[
                    &data.credentials.len().to_string(),
                    &folder.display().to_string()
                ]
            )
        ),
        None => println!("{}", tr(ctx.lang, "recovered-no-backup", &[])),
    }
}

/// A backup keyed by the recovery phrase (`NANSENR\0`), opened with this wallet's seed: the
/// `backup import` of an automatic backup needs no passphrase.
pub(super) fn is_recovery_backup(bytes: &[u8]) -> bool {
    bytes.starts_with(crate::wallet::RECOVERY_BACKUP_MAGIC)
}
