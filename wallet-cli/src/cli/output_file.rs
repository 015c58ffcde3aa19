//! Files the command line writes that hold personal data or secrets: credential bundles,
//! presentations, their QR codes and text, recovery sheets.
//!
//! Each is created readable and writable by its owner only (mode 0600 on Unix, whatever the
//! umask) and never put over an existing file unless the user gave `--force`
//! ([`Existing::Replace`]); otherwise the command fails with [`CliError::OutputExists`]
//! naming the file, before it writes anything ([`check_free`]).

use super::*;

use std::fs::{File, OpenOptions};

/// What to do with a file already at an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Existing {
    /// Refuse (the default).
    Refuse,
    /// Replace it (`--force`).
    Replace,
}

impl Existing {
    /// `Replace` with `--force`, else `Refuse`.
    pub(super) fn from_force(force: bool) -> Existing {
        if force {
            Existing::Replace
        } else {
            Existing::Refuse
        }
    }
}

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

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Writes `bytes` to a new file at `path` readable by its owner only, flushed to disk. An
/// existing file is refused ([`CliError::OutputExists`]), or with [`Existing::Replace`]
/// replaced by an atomic rename of a new private file (so the old file's mode is not kept).
pub(super) fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::Io(path.to_path_buf(), e);
    let write_new = |target: &Path| -> Result<(), CliError> {
        let mut file = private_options().open(target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::OutputExists(target.to_path_buf())
            } else {
                CliError::Io(target.to_path_buf(), e)
            }
        })?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            drop(file);
            let _ = std::fs::remove_file(target);
            return Err(CliError::Io(target.to_path_buf(), e));
        }
        Ok(())
    };
    match existing {
        Existing::Refuse => write_new(path),
        Existing::Replace => {
            let tmp = sibling(path, &format!(".tmp.{}", std::process::id()));
            let _ = std::fs::remove_file(&tmp);
            write_new(&tmp)?;
            std::fs::rename(&tmp, path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io(e)
            })?;
            sync_parent(path);
            Ok(())
        }
    }
}

/// Moves the finished file `pending` to `out`: with [`Existing::Refuse`] never over an
/// existing file (a hard link, then `pending` removed; where the file system has no hard
/// links, a rename after a last check).
pub(super) fn publish(pending: &Path, out: &Path, existing: Existing) -> std::io::Result<()> {
    if existing == Existing::Replace {
        std::fs::rename(pending, out)?;
        sync_parent(out);
        return Ok(());
    }
    match std::fs::hard_link(pending, out) {
        Ok(()) => std::fs::remove_file(pending)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) if out.symlink_metadata().is_ok() => {
            return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
        }
        Err(_) => std::fs::rename(pending, out)?,
    }
    sync_parent(out);
    Ok(())
}

/// `path` with `suffix` added to its file name.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn sync_parent(path: &Path) {
    // A rename is durable once its directory is synced (POSIX); unsupported elsewhere.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
