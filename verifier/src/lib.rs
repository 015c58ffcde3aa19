//! Nansen's verifier core: everything `nansen verify` decides about an SD-JWT VC presentation,
//! without I/O, so that the command line and the browser verifier (this crate compiled to
//! WebAssembly) run the same rules.
//!
//! - [`sd_jwt`] checks a presentation (issuer signature, disclosures, key binding, challenge,
//!   audience, freshness) and [`event`] its disclosed claims against the event kind's list;
//! - [`ledger_checks`] runs the four ledger checks on the portable proof the presentation
//!   carries, on trusted witness keys, on a replica ([`ledger::store::MemoryLedger`]) and on a
//!   node's answer the caller fetched;
//! - [`verdict`] turns the checks into one of the three verdicts and its report;
//! - [`replay`] is the rule of the replay record (each challenge verifies once);
//! - [`trust`] is the verifier's trust file and [`page`] the browser verifier's one
//!   operation on it.
//!
//! Not here: reading files, asking a node, the clock, Data Integrity presentations (their
//! JSON-LD canonicalization stays in the wallet; see `specs/credentials.md`, the browser
//! verifier), and issuing credentials (randomness).

pub mod did;
pub mod digest;
pub mod error;
pub mod event;
pub mod ids;
pub mod jcs;
pub mod ledger_checks;
pub mod page;
pub mod replay;
pub mod sd_jwt;
pub mod trust;
pub mod verdict;

pub use error::{ClaimProblem, CredentialError};
pub use event::{parse_event_kind, CredentialKind, EventClaims, EventKind};
