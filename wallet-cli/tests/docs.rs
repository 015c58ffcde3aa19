//! The shell completions and manual pages of `nansen`, generated from its clap definition
//! (the one `nansen --help` shows) and kept in the repository under `contrib/completions/` and
//! `contrib/man/`, where packagers take them. This test makes them again and fails when the
//! committed files differ; `NANSEN_UPDATE_DOCS=1 cargo test -p wallet-cli --test docs`
//! rewrites them. (They are made here, not by a `nansen` subcommand, so that the binary does
//! not carry the generators.)

use std::path::Path;

use clap::CommandFactory as _;
use nansen_test_support::contrib::{self, Shell};
use nansen_wallet::cli::{documented_command, Cli};

#[test]
fn the_committed_completions_and_manual_pages_match_the_command_line() {
    let files = contrib::generate("nansen", &Cli::command(), documented_command());
    assert!(files.iter().any(|f| f.path.ends_with("nansen-present.1")));
    // The manual of `issue` lists each kind's claims, as `nansen issue --help` does.
    let issue = files
        .iter()
        .find(|f| f.path.ends_with("nansen-issue.1"))
        .map(|f| String::from_utf8_lossy(&f.content).into_owned())
        .unwrap_or_default();
    assert!(
        issue.contains("refugee_status") && issue.contains("statusGrantedDate"),
        "{issue}"
    );
    contrib::check("nansen", &files, "cargo test -p wallet-cli --test docs");
}

#[test]
fn the_bash_completion_is_valid_bash_and_knows_the_commands() {
    let script = contrib::completion_script("nansen", &Cli::command(), Shell::Bash);
    contrib::assert_valid_bash(&script);
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
