//! The sync protocol: its messages ([`wire`]), their framing on a stream
//! ([`codec`]), and the driver that serves and pulls entries with the
//! replica ([`driver`]).

pub mod codec;
pub mod driver;
/// The sync messages live in the `nansen-wire` crate (pure, shared with the fuzzer).
pub use nansen_wire::sync as wire;
