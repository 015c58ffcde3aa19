//! A Nansen node: replication of the ledger over libp2p, witness
//! cosigning, the HTTP API, and what the `nansen-node` command is built on.
//!
//! What it is for: connecting to the peers of one network (TCP or QUIC,
//! Noise, Yamux; mDNS on a local network, Kademlia and bootstrap peers in
//! the wide area), exchanging entries with them (gossip for what is new,
//! `/nansen/sync/1` range sync for backlogs, periodic anti-entropy),
//! cosigning checkpoints of the chains it holds, and serving wallets,
//! registrars and verifiers over a local HTTP API.
//!
//! What it is not for: it never decides whether an entry is valid. Every
//! entry, whatever its origin (API, gossip, sync, import), goes through the
//! `ledger` crate's store, and the network layer only enforces what can be
//! checked without the ledger: network ids, message sizes, canonical
//! encodings, rate limits, bans.
//!
//! - [`sync::wire`], [`sync::codec`]: the sync messages and their framing.
//! - [`network`]: behaviours, swarm, event loop, commands and events;
//!   connection limits (overall, per peer, per IP address), handshake and
//!   idle timeouts, and redialling below a target peer count.
//! - [`sync::driver`]: serving, pulling, gossip validation, announcing.
//! - [`replica`]: the store shared by the node's tasks.
//! - [`witness`]: the node's cosignature key and what it keeps from others.
//! - [`api`], [`metrics`]: the HTTP API and Prometheus metrics.
//! - [`http`]: the HTTP server under the API, its timeouts, body bound and
//!   cross-origin guard.
//! - [`export`], [`import`], [`cbor_seq`]: the ledger streamed out as a CBOR
//!   sequence, a file of it submitted back with a report by reason, and the
//!   one reader of CBOR sequences.
//! - [`progress`]: progress bars on a terminal.
//! - [`daemon`]: everything wired into a running node.
//! - [`authoring`], [`client`]: building and submitting entries, the API
//!   client used by the commands (key files are in the `nansen-files` crate).
//! - [`identity`]: the node's Ed25519 key from and to its 32-byte seed.
//! - [`i18n`], [`help_text`]: what the commands print, and their help, in English, French
//!   and Arabic (operator logs stay in English).
//!
//! The protocol is specified in `specs/protocol.md`, the API in
//! `specs/api.md`.

pub mod api;
pub mod authoring;
/// The CBOR-sequence reader, the ledger core's (one implementation for node and verifier).
pub use ledger::cbor_seq;
pub mod client;
pub mod daemon;
pub mod export;
pub mod help_text;
pub mod http;
pub mod i18n;
pub mod identity;
pub mod import;
pub mod metrics;
pub mod network;
pub mod progress;
pub mod replica;
pub mod sync;
pub mod verifier_page;
pub mod witness;

pub use identity::{NodeKey, NodeKeyError};
pub use network::{
    start, Command, GossipVerdict, NetworkConfig, NetworkError, NetworkEvent, NetworkHandle,
    Responder,
};
pub use sync::wire::{
    ChainHead, ErrorCode, Gossip, NetworkId, SyncRequest, SyncResponse, WireError,
};
