//! What the tests of several Nansen packages share, written once, so that each test reads as
//! what it checks:
//!
//! - [`contrib`]: the check that the manual pages and shell completions committed under
//!   `contrib/` are the ones the binaries' clap definitions make;
//! - [`net`]: a real network through the real binaries (a genesis, a node, an accredited
//!   registrar, a holder's wallet) and credentials issued and anchored on it.
//!
//! Only ever a dev-dependency: no binary links it.

pub mod contrib;
pub mod net;
