//! # ledger
//!
//! The Nansen ledger: an append-only set of signed chains, one per author
//! (the governance chain and one per accredited registrar), that replicas
//! exchange and validate deterministically. This crate holds the entry
//! model and its canonical encoding, Ed25519 signing and verification, the
//! validation rules as an I/O-free state transition, the batch engine
//! (holds, deferred signature checks, draining) over a key-value storage
//! trait, the RFC 6962 Merkle log of each chain with its proofs, C2SP
//! checkpoints and cosignatures, and portable proofs.
//!
//! It is a pure core: without its default features it does no I/O, spawns
//! no threads, needs no randomness and builds for `wasm32-unknown-unknown`;
//! [`store::MemoryLedger`] runs the whole engine in memory. The features
//! add what a node needs: `sled` (the on-disk [`store::Store`], the node's
//! only store), `parallel` (signature checks on all cores) and `os-rng`
//! (key generation).
//!
//! It does no networking (that is the `node` crate) and never sees personal
//! data: an attestation carries a random credential id and digests only.
//!
//! The formats are specified in `specs/ledger.md`.

pub mod authority;
pub mod cbor_seq;
pub mod checkpoint;
pub mod codec;
pub mod country;
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
