//! Files the command line writes that hold personal data or secrets: credential bundles,
//! presentations, their QR codes and text, recovery sheets.
//!
//! Each is created readable and writable by its owner only (mode 0600 on Unix, whatever the
//! umask) and never put over an existing file unless the user gave `--force`
//! ([`Existing::Replace`]); otherwise the command fails with [`CliError::OutputExists`]
//! naming the file, before it writes anything ([`check_free`]).

use super::*;

pub(super) use nansen_files::private::Existing;

/// Fails with [`CliError::OutputExists`] for the first of `paths` that exists, unless
/// replacing is allowed; called before anything is written or anchored.
pub(super) fn check_free(paths: &[PathBuf], existing: Existing) -> Result<(), CliError> {
    if existing == Existing::Replace {
        return Ok(());
    }
    match paths.iter().find(|p| p.symlink_metadata().is_ok()) {
        Some(taken) => Err(CliError::OutputExists(taken.clone())),
        None => Ok(()),
    }
}

/// Writes `bytes` to `path`, private and whole (`nansen-files`: a temporary file, synced, put in
/// place), never over an existing file unless `existing` is [`Existing::Replace`].
pub(super) fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> Result<(), CliError> {
    nansen_files::private::write_private(path, bytes, existing).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::OutputExists(path.to_path_buf())
        } else {
            CliError::Io(path.to_path_buf(), e)
        }
    })
}

/// Moves the finished file `pending` to `out`: with [`Existing::Refuse`] never over an
/// existing file (a hard link, then `pending` removed; where the file system has no hard
/// links, a rename after a last check).
pub(super) fn publish(pending: &Path, out: &Path, existing: Existing) -> std::io::Result<()> {
    nansen_files::private::move_into_place(pending, out, existing)
}

/// `path` with `suffix` added to its file name.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}
