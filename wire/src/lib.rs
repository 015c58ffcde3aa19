//! Nansen's byte formats between parties, with no I/O: what one party sends
//! and another must read, whoever wrote it.
//!
//! - [`api`]: the JSON bodies of the node's HTTP API (`specs/api.md`).
//! - [`sync`]: the peer-to-peer sync protocol's requests, responses and gossip
//!   (`specs/protocol.md`).
//! - [`envelope`]: the presentation envelope a holder hands a verifier, with
//!   the portable ledger proof (`specs/credentials.md`).
//! - [`qr_text`]: a presentation as the text of one or more QR codes (`NS1`, and `NS2`
//!   carrying the [`compact`] envelope).
//! - [`compact`]: the compact binary envelope of an SD-JWT presentation and its ledger proof
//!   (CBOR, raw bytes instead of base64), for one QR code.
//! - [`challenge`]: a verifier's challenge and audience as the text of one QR
//!   code.
//!
//! Every decoder here takes untrusted bytes, bounds what it reads and returns
//! a named error; none panics. The node, the wallet, a browser verifier and
//! the fuzz targets (`fuzz/`) all call these same functions.

pub mod api;
pub mod challenge;
pub mod compact;
pub mod envelope;
pub mod qr_text;
pub mod sync;
