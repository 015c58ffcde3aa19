//! Private files written whole or not at all.
//!
//! A [`PrivateFile`] is written under a temporary name in the target's directory
//! (`.<name>.tmp.<pid>.<n>`, created new, mode 0600 on Unix), synced, and then put in place:
//! renamed over the target ([`Existing::Replace`]), or linked to the target name, which fails
//! with [`std::io::ErrorKind::AlreadyExists`] when something is there ([`Existing::Refuse`]: no
//! check-then-write race). The directory is synced after. Dropped before
//! [`PrivateFile::commit`], the temporary file is removed.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What to do when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Leave it and fail with `AlreadyExists`.
    Refuse,
    /// Replace it atomically.
    Replace,
}

impl Existing {
    /// [`Existing::Replace`] when `force`, else [`Existing::Refuse`].
    pub fn from_force(force: bool) -> Existing {
        if force {
            Existing::Replace
        } else {
            Existing::Refuse
        }
    }
}

/// A file being written privately; see the module documentation.
#[derive(Debug)]
pub struct PrivateFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
}

/// Distinguishes the temporary files of one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

impl PrivateFile {
    /// Creates a new temporary file for `path` (nothing is at `path` yet).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_file_name(format!(".{name}.tmp.{}.{n}", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let file = options.open(&tmp)?;
        Ok(PrivateFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// The path the file will have once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => Err(std::io::Error::other("file already committed")),
        }
    }

    /// Flushes and syncs the file, then puts it at its path as `existing` says.
    pub fn commit(mut self, existing: Existing) -> std::io::Result<()> {
        let Some(file) = self.file.take() else {
            return Err(std::io::Error::other("file already committed"));
        };
        let placed = file
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .and_then(|()| place(&self.tmp, &self.path, existing));
        if let Err(e) = placed {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(e);
        }
        sync_parent(&self.path);
        Ok(())
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Puts the complete file `from` at `to`, as `existing` says, and syncs the directory: how a
/// [`PrivateFile`] is committed, for a file written aside and kept until it may be placed
/// (a credential bundle waiting for the ledger to accept its attestation).
pub fn move_into_place(from: &Path, to: &Path, existing: Existing) -> std::io::Result<()> {
    place(from, to, existing)?;
    sync_parent(to);
    Ok(())
}

/// Moves the complete temporary file `tmp` to `path`.
fn place(tmp: &Path, path: &Path, existing: Existing) -> std::io::Result<()> {
    match existing {
        Existing::Replace => std::fs::rename(tmp, path),
        Existing::Refuse => match std::fs::hard_link(tmp, path) {
            Ok(()) => std::fs::remove_file(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: check, then rename (a small race remains
            // there, and only there).
            Err(_) if path.symlink_metadata().is_ok() => {
                Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
            }
            Err(_) => std::fs::rename(tmp, path),
        },
    }
}

/// Writes `bytes` to `path` privately and whole, as `existing` says.
pub fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> std::io::Result<()> {
    let mut file = PrivateFile::create(path)?;
    file.write_all(bytes)?;
    file.commit(existing)
}

/// Syncs `path`'s directory, which makes a rename or link durable on POSIX (unsupported
/// elsewhere, and then skipped).
pub fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_placed_whole_and_never_over_another_unless_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.json");
        write_private(&path, b"first", Existing::Refuse).expect("new");
        let err = write_private(&path, b"second", Existing::Refuse).expect_err("exists");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).expect("read"), b"first");
        write_private(&path, b"third", Existing::Replace).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"third");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind, placed or dropped.
        let mut dropped = PrivateFile::create(&dir.path().join("never.json")).expect("create");
        dropped.write_all(b"half").expect("write");
        drop(dropped);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.json")]);
    }

    #[test]
    fn two_writers_at_once_each_place_a_whole_file_or_fail_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("key");
        for _ in 0..50 {
            let _ = std::fs::remove_file(&path);
            let results: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
                let writers: Vec<_> = [b'a', b'b']
                    .into_iter()
                    .map(|byte| {
                        let path = path.clone();
                        scope.spawn(move || write_private(&path, &[byte; 4096], Existing::Refuse))
                    })
                    .collect();
                writers
                    .into_iter()
                    .map(|w| w.join().expect("writer"))
                    .collect()
            });
            assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
            let content = std::fs::read(&path).expect("read");
            assert!(content == [b'a'; 4096] || content == [b'b'; 4096]);
        }
    }
}
