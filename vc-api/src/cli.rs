//! The command line of `nansen-vc-api`: the one clap definition its binary parses, its
//! manual page and completions are made from (`vc-api/tests/docs.rs`), and its French and
//! Arabic help ([`crate::i18n::HELP`]) translates.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Serve the W3C VC API subset for a registrar on a loopback address: POST
/// /credentials/issue, /credentials/verify and /presentations/verify. Prints
/// `listening on http://ADDR` and `issuer=DID`.
#[derive(Debug, Parser)]
#[command(name = "nansen-vc-api", version)]
pub struct Args {
    /// Message language: en, fr or ar (default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG).
    #[arg(long)]
    pub lang: Option<String>,
    /// The registrar's key file (as for `nansen issue`); credentials are issued as its did:key.
    /// Its passphrase comes from NANSEN_REGISTRAR_PASSPHRASE (or NANSEN_PASSPHRASE, their
    /// _FILE forms, the systemd credential nansen-passphrase), else the terminal.
    #[arg(long, env = "NANSEN_REGISTRAR_KEY")]
    pub registrar_key: PathBuf,
    /// Loopback address and port (127.0.0.1:PORT or [::1]:PORT; port 0 picks one).
    #[arg(long, default_value = "127.0.0.1:8790")]
    pub listen: SocketAddr,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::HELP;
    use clap::CommandFactory as _;

    #[test]
    fn every_command_and_argument_has_both_translations() {
        let missing = nansen_i18n::help::missing(&Args::command(), HELP);
        assert!(missing.is_empty(), "no French or Arabic help: {missing:#?}");
        let conflicts = nansen_i18n::help::shared_key_conflicts(&Args::command(), HELP);
        assert!(conflicts.is_empty(), "{}", conflicts.join("\n"));
    }
}
