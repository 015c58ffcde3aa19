//! The wallet's automatic backup: a copy of the wallet (holder seed and credentials) that the
//! wallet rewrites at every change into a folder the holder chose (a USB stick, a synced
//! folder), encrypted under a key that the recovery phrase alone gives back.
//!
//! ```text
//! backup_key = SHA-256( "nansen/recovery-backup/key/v1"  ‖ holder_seed )
//! file name  = "nansen-backup-" ‖ hex( SHA-256( "nansen/recovery-backup/name/v1" ‖ holder_public_key )[0..8] ) ‖ ".nbk"
//! ```
//!
//! `holder_seed` is the 32-byte seed the phrase gives (see [`crate::recovery`]); the file is
//! the backup layout of [`crate::wallet`] with the magic `NANSENR\0`
//! ([`crate::wallet::seal_recovery_backup`]). The name depends only on the holder, so that a
//! recovered wallet finds its backup in a folder shared by several holders, and does not show
//! the holder's identifier.
//!
//! Writing is atomic ([`crate::wallet::atomic_write`], the previous backup kept as
//! `<file>.bak`) under the backup file's lock ([`FileLock`]). The folder is never created: a
//! removed USB stick is [`RecoveryBackupError::FolderMissing`], not a new folder on the phone.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::file_lock::FileLock;
use crate::wallet::{self, WalletData, WalletError};

/// Domain label of the backup key.
pub const KEY_LABEL: &[u8] = b"nansen/recovery-backup/key/v1";
/// Domain label of the backup file's name.
pub const NAME_LABEL: &[u8] = b"nansen/recovery-backup/name/v1";

/// Why the automatic backup could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryBackupError {
    /// The backup folder is not there (a USB stick removed, a folder deleted).
    #[error("the backup folder {0} is not there (is the USB stick plugged in?)")]
    FolderMissing(PathBuf),
    /// No backup of this holder in the folder.
    #[error("no backup of this holder in {folder} (looked for {file})")]
    NoBackup {
        /// The folder searched.
        folder: PathBuf,
        /// The file name of this holder's backup.
        file: String,
    },
    /// The file is not a backup of the holder of this recovery phrase.
    #[error("{0} is not a backup of the holder of this recovery phrase")]
    OtherHolder(PathBuf),
    /// The backup file is damaged or not a backup keyed by the recovery phrase.
    #[error("the backup {0} cannot be read: {1}")]
    Unreadable(PathBuf, WalletError),
    /// Writing or locking the file failed.
    #[error("the backup {0} could not be written: {1}")]
    Write(PathBuf, WalletError),
}

impl RecoveryBackupError {
    /// The error's stable name.
    pub fn name(&self) -> &'static str {
        match self {
            RecoveryBackupError::FolderMissing(_) => "BackupFolderMissing",
            RecoveryBackupError::NoBackup { .. } => "NoBackup",
            RecoveryBackupError::OtherHolder(_) => "BackupOfAnotherHolder",
            RecoveryBackupError::Unreadable(..) => "BackupCorrupted",
            RecoveryBackupError::Write(..) => "BackupNotWritten",
        }
    }
}

/// The key of the holder's automatic backup.
pub fn backup_key(holder_seed: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(KEY_LABEL);
    h.update(holder_seed);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&h.finalize());
    out
}

/// The file name of the holder's automatic backup in its folder.
pub fn file_name(holder_seed: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(NAME_LABEL);
    h.update(crate::did::public_key_from_seed(holder_seed));
    format!("nansen-backup-{}.nbk", hex::encode(&h.finalize()[..8]))
}

/// The path of the holder's backup: `path` itself if it is a file, else the holder's file in
/// the folder `path`.
pub fn locate(path: &Path, holder_seed: &[u8; 32]) -> PathBuf {
    if path.is_dir() {
        path.join(file_name(holder_seed))
    } else {
        path.to_path_buf()
    }
}

/// Writes `data` as the holder's backup into `folder`; returns the file written.
pub fn write(folder: &Path, data: &WalletData) -> Result<PathBuf, RecoveryBackupError> {
    if !folder.is_dir() {
        return Err(RecoveryBackupError::FolderMissing(folder.to_path_buf()));
    }
    let seed = data
        .seed()
        .map_err(|e| RecoveryBackupError::Write(folder.to_path_buf(), e))?;
    let file = folder.join(file_name(&seed));
    let failed = |e: WalletError| RecoveryBackupError::Write(file.clone(), e);
    let bytes = wallet::seal_recovery_backup(data, &backup_key(&seed)).map_err(failed)?;
    let _lock = FileLock::exclusive(&file).map_err(|e| failed(e.into()))?;
    wallet::atomic_write(&file, &bytes).map_err(failed)?;
    Ok(file)
}

/// Reads the backup at `path` (a file, or the folder holding it) with the seed of the
/// recovery phrase.
pub fn read(path: &Path, holder_seed: &[u8; 32]) -> Result<WalletData, RecoveryBackupError> {
    let file = locate(path, holder_seed);
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.is_dir() => {
            return Err(RecoveryBackupError::NoBackup {
                folder: path.to_path_buf(),
                file: file_name(holder_seed),
            })
        }
        Err(e) => return Err(RecoveryBackupError::Unreadable(file, e.into())),
    };
    let data = match wallet::open_recovery_backup(&bytes, &backup_key(holder_seed)) {
        Ok(d) => d,
        Err(WalletError::WrongPassphrase) => return Err(RecoveryBackupError::OtherHolder(file)),
        Err(e) => return Err(RecoveryBackupError::Unreadable(file, e)),
    };
    // The key check already ties the backup to the seed; the seed inside must agree.
    match data.seed() {
        Ok(s) if *s == *holder_seed => Ok(data),
        _ => Err(RecoveryBackupError::OtherHolder(file)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of specs/credentials.md 12.6 (values computed by a separate Python
    /// implementation: hashlib and the `cryptography` package's Ed25519).
    #[test]
    fn worked_example_of_the_spec() {
        let phrase = format!("{}art", "abandon ".repeat(23));
        let seed = crate::recovery::holder_seed_from_phrase(&phrase).unwrap();
        assert_eq!(
            hex::encode(*seed),
            "2ea88d5b6521738e00ec67669530f62ffbbbbbd4ab7dae2e974ce70cf58adaac"
        );
        assert_eq!(
            hex::encode(*backup_key(&seed)),
            "d894da564d24ddee8251c11829d56936138c0b83c2b5ec163849014f17140449"
        );
        assert_eq!(file_name(&seed), "nansen-backup-33851fd8925c6751.nbk");
    }

    #[test]
    fn the_phrase_seed_alone_opens_the_backup_and_another_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut data = WalletData::new(&[7u8; 32]);
        data.backup_dir = Some(dir.path().to_path_buf());
        let file = write(dir.path(), &data).unwrap();
        assert_eq!(file, dir.path().join(file_name(&[7u8; 32])));
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(wallet::RECOVERY_BACKUP_MAGIC));
        assert_eq!(read(dir.path(), &[7u8; 32]).unwrap(), data);
        assert_eq!(read(&file, &[7u8; 32]).unwrap(), data);
        assert!(matches!(
            read(&file, &[8u8; 32]).unwrap_err(),
            RecoveryBackupError::OtherHolder(_)
        ));
        assert!(matches!(
            read(dir.path(), &[8u8; 32]).unwrap_err(),
            RecoveryBackupError::NoBackup { .. }
        ));
        // Not a passphrase backup, and a passphrase backup is not this.
        assert!(matches!(
            wallet::open_backup(&bytes, &*backup_key(&[7u8; 32])).unwrap_err(),
            WalletError::Corrupted(_)
        ));
        let other = wallet::seal_backup(&data, b"pw", wallet::RECOVERY_BACKUP_KDF).unwrap();
        assert!(matches!(
            wallet::open_recovery_backup(&other, &backup_key(&[7u8; 32])).unwrap_err(),
            WalletError::Corrupted(_)
        ));
        let gone = dir.path().join("stick");
        assert!(matches!(
            write(&gone, &data).unwrap_err(),
            RecoveryBackupError::FolderMissing(_)
        ));
        assert!(!gone.exists());
    }
}
