//! # ledger
//!
//! The Nansen ledger: an append-only set of signed chains, one per author
//! (the governance chain and one per accredited registrar), that replicas
//! exchange and validate deterministically. This crate holds the entry
//! model and its canonical encoding, Ed25519 signing and verification, the
//! validation rules as an I/O-free state transition, the RFC 6962 Merkle
//! log of each chain with its proofs, C2SP checkpoints and cosignatures, and
//! the sled store.
//!
//! It does no networking (that is the `node` crate) and never sees personal
//! data: an attestation carries a random credential id and digests only.
//!
//! The formats are specified in `specs/ledger.md`.

pub mod authority;
pub mod checkpoint;
pub mod codec;
pub mod credential;
pub mod entry;
pub mod equivocation;
pub mod fixtures;
pub mod genesis;
pub mod merkle;
pub mod payload;
pub mod portable;
pub mod rejection;
pub mod signing;
pub mod state;
pub mod store;
pub mod types;
pub mod validate;
pub mod writer;
