//! Cross-process locks for the files a command reads, changes and writes back (the wallet,
//! the verifier's replay record): two processes at once must not lose each other's change.
//!
//! The lock is an exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows) on a
//! sidecar file `<target>.lock` beside the target, so that the target itself can still be
//! replaced by an atomic rename while the lock is held. Every writer of the target takes it
//! before reading; the operating system drops it when the process ends, even when killed.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// An exclusive lock on a file's sidecar `<target>.lock`; released when dropped.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
    path: PathBuf,
}

/// The sidecar lock file of `target`.
pub fn lock_path(target: &Path) -> PathBuf {
    let mut s = target.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

impl FileLock {
    /// Takes the exclusive lock of `target`, waiting while another process holds it. The
    /// target's directory is created if missing.
    pub fn exclusive(target: &Path) -> std::io::Result<FileLock> {
        let path = lock_path(target);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        file.lock()?;
        Ok(FileLock { _file: file, path })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn holders_of_one_lock_never_overlap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("record.txt");
        let inside = Arc::new(AtomicUsize::new(0));
        let overlaps = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (target, inside, overlaps) = (target.clone(), inside.clone(), overlaps.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        // Each open is its own open file description: flock excludes it even
                        // within one process, as it would another process.
                        let lock = FileLock::exclusive(&target).expect("lock");
                        if inside.fetch_add(1, Ordering::SeqCst) != 0 {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(lock);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(overlaps.load(Ordering::SeqCst), 0);
        assert!(lock_path(&target).exists());
    }
}
