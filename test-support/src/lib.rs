//! What the tests of several Nansen packages share, written once: [`contrib`], the check that
//! the manual pages and shell completions committed under `contrib/` are the ones the
//! binaries' clap definitions make. Only ever a dev-dependency: no binary links it.

pub mod contrib;
