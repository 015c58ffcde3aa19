//! Where an unattended command finds a passphrase, one rule for both binaries
//! (`specs/key-files.md`, "Passphrases"):
//!
//! 1. a file named by a `..._FILE` variable (for each variable `V` a command reads, `V_FILE`),
//!    its first line, read from at most [`MAX_PASSPHRASE_FILE_BYTES`];
//! 2. the systemd credential [`SYSTEMD_CREDENTIAL`] (`LoadCredential=nansen-passphrase:...`),
//!    a file of `$CREDENTIALS_DIRECTORY`, read the same way;
//! 3. the variable `V` itself;
//!
//! else nothing: the caller asks on the terminal, or fails naming these sources. A passphrase
//! in a file keeps it out of the process environment, which other processes of the same user
//! and crash reports can read.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

/// The systemd credential name both binaries read (`LoadCredential=nansen-passphrase:FILE`).
pub const SYSTEMD_CREDENTIAL: &str = "nansen-passphrase";

/// Most bytes read from a passphrase file: a device or a huge file is not read whole.
pub const MAX_PASSPHRASE_FILE_BYTES: u64 = 4096;

/// A passphrase source that is named but unusable.
#[derive(Debug, thiserror::Error)]
pub enum PassphraseSourceError {
    /// The file cannot be read.
    #[error("cannot read the passphrase file {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file's first line is empty.
    #[error("the passphrase file {path} is empty (the passphrase is its first line)")]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

/// The first line of the file at `path` (without its line ending), read from at most
/// [`MAX_PASSPHRASE_FILE_BYTES`].
pub fn read_passphrase_file(path: &Path) -> Result<Zeroizing<String>, PassphraseSourceError> {
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PASSPHRASE_FILE_BYTES).read_to_end(&mut bytes))
        .map_err(|source| PassphraseSourceError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(PassphraseSourceError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(Zeroizing::new(line.to_owned()))
}

/// The passphrase from the first source of the rule above that is set, for the variables
/// `vars` (in order), reading the process environment; `None` when none is set.
pub fn passphrase_from_environment(
    vars: &[&str],
) -> Result<Option<Zeroizing<String>>, PassphraseSourceError> {
    passphrase_from(vars, |name| std::env::var_os(name))
}

/// [`passphrase_from_environment`] over any environment (for tests).
pub fn passphrase_from(
    vars: &[&str],
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Option<Zeroizing<String>>, PassphraseSourceError> {
    for var in vars {
        if let Some(path) = env(&format!("{var}_FILE")).filter(|p| !p.is_empty()) {
            return read_passphrase_file(Path::new(&path)).map(Some);
        }
    }
    if let Some(dir) = env("CREDENTIALS_DIRECTORY").filter(|d| !d.is_empty()) {
        let path = Path::new(&dir).join(SYSTEMD_CREDENTIAL);
        if path.exists() {
            return read_passphrase_file(&path).map(Some);
        }
    }
    Ok(vars
        .iter()
        .find_map(|var| env(var).map(|value| Zeroizing::new(value.to_string_lossy().into_owned()))))
}

/// The sources a command reads for `vars`, for an error message: `V_FILE, ..., the systemd
/// credential nansen-passphrase, V, ...`.
pub fn sources_text(vars: &[&str]) -> String {
    let mut parts: Vec<String> = vars.iter().map(|v| format!("{v}_FILE")).collect();
    parts.push(format!("the systemd credential {SYSTEMD_CREDENTIAL}"));
    parts.extend(vars.iter().map(|v| v.to_string()));
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::ffi::OsString;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn a_file_comes_before_the_credential_and_the_credential_before_the_variable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("pass");
        std::fs::write(&file, "from the file\nsecond line\n").expect("write");
        let creds = dir.path().join("creds");
        std::fs::create_dir(&creds).expect("dir");
        std::fs::write(creds.join(SYSTEMD_CREDENTIAL), "from systemd\n").expect("write");
        let file_text = file.to_str().expect("utf-8");
        let creds_text = creds.to_str().expect("utf-8");
        let vars = ["NANSEN_REGISTRAR_PASSPHRASE", "NANSEN_PASSPHRASE"];
        let got = |pairs: &[(&str, &str)]| {
            passphrase_from(&vars, env(pairs))
                .expect("readable")
                .map(|p| p.to_string())
        };
        assert_eq!(
            got(&[
                ("NANSEN_PASSPHRASE_FILE", file_text),
                ("CREDENTIALS_DIRECTORY", creds_text),
                ("NANSEN_REGISTRAR_PASSPHRASE", "from the variable"),
            ])
            .as_deref(),
            Some("from the file")
        );
        assert_eq!(
            got(&[
                ("CREDENTIALS_DIRECTORY", creds_text),
                ("NANSEN_PASSPHRASE", "from the variable"),
            ])
            .as_deref(),
            Some("from systemd")
        );
        assert_eq!(
            got(&[
                ("NANSEN_PASSPHRASE", "second"),
                ("NANSEN_REGISTRAR_PASSPHRASE", "first"),
            ])
            .as_deref(),
            Some("first")
        );
        assert_eq!(got(&[]), None);
    }

    #[test]
    fn an_empty_or_missing_file_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "\n").expect("write");
        let missing = dir.path().join("missing");
        for (path, what) in [(&empty, "is empty"), (&missing, "cannot read")] {
            let e = passphrase_from(
                &["NANSEN_PASSPHRASE"],
                env(&[("NANSEN_PASSPHRASE_FILE", path.to_str().expect("utf-8"))]),
            )
            .expect_err("refused");
            assert!(e.to_string().contains(what), "{e}");
            assert!(e.to_string().contains(&path.display().to_string()), "{e}");
        }
    }

    #[test]
    fn a_huge_file_is_read_only_up_to_the_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("big");
        std::fs::write(&big, "x".repeat(1 << 20)).expect("write");
        let pass = read_passphrase_file(&big).expect("a line");
        assert_eq!(pass.len() as u64, MAX_PASSPHRASE_FILE_BYTES);
    }
}
