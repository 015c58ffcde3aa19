//! The shell completions and manual page of `nansen-vc-api`, generated from its clap
//! definition ([`nansen_vc_api::cli::Args`], the one `nansen-vc-api --help` shows) and kept in
//! the repository under `contrib/completions/` and `contrib/man/`, where packagers take them.
//! This test makes them again and fails when the committed files differ;
//! `NANSEN_UPDATE_DOCS=1 cargo test -p nansen-vc-api --test docs` rewrites them.

use clap::CommandFactory as _;
use nansen_test_support::contrib::{self, Shell};
use nansen_vc_api::cli::Args;

#[test]
fn the_committed_completions_and_manual_page_match_the_command_line() {
    let files = contrib::generate("nansen-vc-api", &Args::command(), Args::command());
    let page = files
        .iter()
        .find(|f| f.path.ends_with("nansen-vc-api.1"))
        .map(|f| String::from_utf8_lossy(&f.content).into_owned())
        .unwrap_or_default();
    // The page documents the flags and the variable the key may come from.
    assert!(
        page.contains("registrar\\-key") && page.contains("NANSEN_REGISTRAR_KEY"),
        "{page}"
    );
    contrib::check(
        "nansen-vc-api",
        &files,
        "cargo test -p nansen-vc-api --test docs",
    );
}

#[test]
fn the_bash_completion_is_valid_bash_and_knows_the_flags() {
    let script = contrib::completion_script("nansen-vc-api", &Args::command(), Shell::Bash);
    contrib::assert_valid_bash(&script);
    let text = String::from_utf8_lossy(&script);
    assert!(text.contains("--registrar-key") && text.contains("--listen"));
}
