//! Nansen's files on disk, one implementation for both binaries (`nansen-node` and `nansen`):
//!
//! - [`private`]: files readable by their owner only (mode 0600 on Unix), written under a
//!   unique temporary name, synced, and put in place whole (or not at all), never over an
//!   existing file unless asked. Two processes writing the same path at once each either
//!   place a complete file or fail by name; neither sees half of the other's.
//! - [`keyfile`]: the encrypted key file format `nansen-key/1` (Argon2id, then
//!   XChaCha20-Poly1305), for node, governance and registrar keys (`specs/ledger.md`,
//!   "Key files").
//! - [`passphrase`]: where an unattended command finds a passphrase (a `..._FILE` variable,
//!   the systemd credential, the variable), one rule for both binaries.

pub mod keyfile;
pub mod passphrase;
pub mod private;
