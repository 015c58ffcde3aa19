//! The digests the ledger anchors for an issued credential: defined in [`nansen_verifier::digest`], shared with the browser verifier.

pub use nansen_verifier::digest::*;
