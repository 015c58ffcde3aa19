//! The shell completions and manual pages of `nansen`, generated from its clap definition
//! (the one `nansen --help` shows) and kept in the repository under `contrib/completions/` and
//! `contrib/man/`, where packagers take them. This test makes them again and fails when the
//! committed files differ; `NANSEN_UPDATE_DOCS=1 cargo test -p wallet-cli --test docs`
//! rewrites them. (They are made here, not by a `nansen` subcommand, so that the binary does
//! not carry the generators.)

use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap_complete::Shell;
use nansen_wallet::cli::{documented_command, Cli};

fn contrib() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../contrib")
}

/// Every generated file: (path under contrib/, content).
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "nansen.bash"),
        (Shell::Zsh, "_nansen"),
        (Shell::Fish, "nansen.fish"),
    ] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "nansen", &mut out);
        files.push((PathBuf::from("completions").join(name), out));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    clap_mangen::generate_to(documented_command(), dir.path()).expect("manual pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    pages.sort();
    for page in pages {
        let name = page.file_name().expect("name").to_owned();
        files.push((
            PathBuf::from("man").join(name),
            std::fs::read(&page).expect("page"),
        ));
    }
    files
}

#[test]
fn the_committed_completions_and_manual_pages_match_the_command_line() {
    let update = std::env::var_os("NANSEN_UPDATE_DOCS").is_some();
    let files = generated();
    assert!(files.iter().any(|(p, _)| p.ends_with("nansen-present.1")));
    // The manual of `issue` lists each kind's claims, as `nansen issue --help` does.
    let issue = files
        .iter()
        .find(|(p, _)| p.ends_with("nansen-issue.1"))
        .map(|(_, c)| String::from_utf8_lossy(c).into_owned())
        .unwrap_or_default();
    assert!(
        issue.contains("refugee_status") && issue.contains("statusGrantedDate"),
        "{issue}"
    );
    let mut stale = Vec::new();
    for (path, content) in &files {
        let full = contrib().join(path);
        if update {
            std::fs::write(&full, content).expect("write");
        } else if std::fs::read(&full).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    // No page left behind for a command that is gone.
    let made: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("man").ok())
        .map(|p| p.display().to_string())
        .collect();
    for entry in std::fs::read_dir(contrib().join("man")).expect("contrib/man") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let ours = name.starts_with("nansen.")
            || (name.starts_with("nansen-") && !name.starts_with("nansen-node"));
        if ours && !made.contains(&name) {
            if update {
                std::fs::remove_file(contrib().join("man").join(&name)).expect("remove");
            } else {
                stale.push(format!("man/{name} (no such command)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "contrib/ differs from the command line for {stale:?}: run \
         NANSEN_UPDATE_DOCS=1 cargo test -p wallet-cli --test docs"
    );
}

#[test]
fn the_bash_completion_is_valid_bash_and_knows_the_commands() {
    let mut script = Vec::new();
    clap_complete::generate(Shell::Bash, &mut Cli::command(), "nansen", &mut script);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nansen.bash");
    std::fs::write(&path, &script).expect("write");
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash");
    assert!(syntax.status.success(), "{syntax:?}");
    let text = String::from_utf8_lossy(&script);
    assert!(text.contains("present") && text.contains("--challenge-qr"));
}

#[test]
fn the_page_labels_are_the_catalogue_s() {
    let labels = nansen_verifier_page::labels_script(
        &nansen_wallet::i18n::claim_labels(),
        &nansen_wallet::i18n::check_labels(),
        &nansen_wallet::i18n::detail_texts(),
        &nansen_wallet::i18n::error_texts(),
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../verifier-page/assets/labels.js");
    if std::env::var_os("NANSEN_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &labels).expect("write labels.js");
        return;
    }
    assert_eq!(
        nansen_verifier_page::LABELS_JS,
        labels,
        "verifier-page/assets/labels.js differs from the catalogue: run \
         NANSEN_UPDATE_DOCS=1 cargo test -p wallet-cli --test docs"
    );
}
