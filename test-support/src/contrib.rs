//! The shell completions (bash, zsh, fish) and manual pages (roff) of a binary, generated from
//! its clap definition and kept in the repository under `contrib/completions/` and
//! `contrib/man/`, where packagers take them.
//!
//! A binary's `docs` test calls [`generate`] and then [`check`], which fails when the committed
//! files differ from the generated ones (or a page is left for a command that is gone);
//! with `NANSEN_UPDATE_DOCS=1` in the environment, [`check`] writes them instead. They are
//! made by tests, not by the binaries, so that the binaries do not carry the generators.

use std::path::{Path, PathBuf};

pub use clap_complete::Shell;

/// The programs whose pages share `contrib/man/`. A page belongs to the longest of these names
/// that it starts with, followed by `.` or `-` (`nansen-node-run.1` is `nansen-node`'s, not
/// `nansen`'s).
pub const PROGRAMS: &[&str] = &["nansen", "nansen-node", "nansen-vc-api"];

/// The variable that makes [`check`] write the files instead of comparing them.
pub const UPDATE_VARIABLE: &str = "NANSEN_UPDATE_DOCS";

/// One generated file: its path under `contrib/` and its content.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The path under `contrib/`, e.g. `completions/nansen.bash` or `man/nansen-issue.1`.
    pub path: PathBuf,
    /// The file's bytes.
    pub content: Vec<u8>,
}

/// The repository's `contrib/` directory.
pub fn contrib_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../contrib")
}

/// The bash, zsh and fish completions of `program` made from `completion` (its parser's
/// command), then its manual pages made from `manual` (one for the program, one per
/// subcommand), sorted by name.
pub fn generate(
    program: &str,
    completion: &clap::Command,
    manual: clap::Command,
) -> Vec<Generated> {
    let mut files = Vec::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        files.push(Generated {
            path: PathBuf::from("completions").join(completion_file_name(program, shell)),
            content: completion_script(program, completion, shell),
        });
    }
    let dir = tempfile::tempdir().expect("tempdir");
    clap_mangen::generate_to(manual, dir.path()).expect("manual pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    pages.sort();
    for page in pages {
        let name = page.file_name().expect("name").to_owned();
        files.push(Generated {
            path: PathBuf::from("man").join(name),
            content: std::fs::read(&page).expect("page"),
        });
    }
    files
}

/// `program`'s completion script for `shell`, made from `command`.
pub fn completion_script(program: &str, command: &clap::Command, shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command.clone(), program, &mut out);
    out
}

/// The file name packagers expect for `program`'s completion in `shell`.
fn completion_file_name(program: &str, shell: Shell) -> String {
    match shell {
        Shell::Zsh => format!("_{program}"),
        Shell::Fish => format!("{program}.fish"),
        _ => format!("{program}.bash"),
    }
}

/// The program a manual page in `contrib/man/` belongs to, if any of [`PROGRAMS`].
pub fn owner_of_page(name: &str) -> Option<&'static str> {
    PROGRAMS
        .iter()
        .copied()
        .filter(|p| {
            name.strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('-'))
        })
        .max_by_key(|p| p.len())
}

/// Compares `files` (all of `program`'s, from [`generate`]) with the committed ones under
/// `contrib/`, and fails naming every file that differs and every committed page of
/// `program` that was not generated; `regenerate` is the command that remakes them, for the
/// failure message. With [`UPDATE_VARIABLE`] set, writes the files and removes those pages
/// instead.
pub fn check(program: &str, files: &[Generated], regenerate: &str) {
    assert!(
        PROGRAMS.contains(&program),
        "{program} is not in nansen_test_support::contrib::PROGRAMS"
    );
    let update = std::env::var_os(UPDATE_VARIABLE).is_some();
    let contrib = contrib_dir();
    let mut stale = Vec::new();
    for file in files {
        let full = contrib.join(&file.path);
        if update {
            std::fs::write(&full, &file.content).expect("write");
        } else if std::fs::read(&full).ok().as_deref() != Some(file.content.as_slice()) {
            stale.push(file.path.display().to_string());
        }
    }
    // No page left behind for a command that is gone.
    let made: Vec<String> = files
        .iter()
        .filter_map(|f| f.path.strip_prefix("man").ok())
        .map(|p| p.display().to_string())
        .collect();
    for entry in std::fs::read_dir(contrib.join("man")).expect("contrib/man") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if owner_of_page(&name) == Some(program) && !made.contains(&name) {
            if update {
                std::fs::remove_file(contrib.join("man").join(&name)).expect("remove");
            } else {
                stale.push(format!("man/{name} (no such command)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "contrib/ differs from {program}'s command line for {stale:?}: run \
         {UPDATE_VARIABLE}=1 {regenerate}"
    );
}

/// Fails unless `script` is valid bash (`bash -n`).
pub fn assert_valid_bash(script: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("completion.bash");
    std::fs::write(&path, script).expect("write");
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash");
    assert!(syntax.status.success(), "{syntax:?}");
}

#[cfg(test)]
mod tests {
    use super::{assert_valid_bash, owner_of_page};

    #[test]
    fn valid_bash_passes() {
        assert_valid_bash(b"complete -F _f f\n_f() { COMPREPLY=(); }\n");
    }

    #[test]
    #[should_panic]
    fn invalid_bash_fails() {
        assert_valid_bash(b"_f() { if then\n");
    }

    #[test]
    fn a_page_belongs_to_the_longest_program_name_it_starts_with() {
        assert_eq!(owner_of_page("nansen.1"), Some("nansen"));
        assert_eq!(owner_of_page("nansen-issue.1"), Some("nansen"));
        assert_eq!(owner_of_page("nansen-node.1"), Some("nansen-node"));
        assert_eq!(owner_of_page("nansen-node-run.1"), Some("nansen-node"));
        assert_eq!(owner_of_page("nansen-vc-api.1"), Some("nansen-vc-api"));
        assert_eq!(owner_of_page("nansenx.1"), None);
        assert_eq!(owner_of_page("README"), None);
    }
}
