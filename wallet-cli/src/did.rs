//! `did:key` identifiers for Ed25519 keys: defined in [`nansen_verifier::did`], shared with the browser verifier.

pub use nansen_verifier::did::*;
