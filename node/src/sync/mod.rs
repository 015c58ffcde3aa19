//! The sync protocol: its messages ([`wire`]), their framing on a stream
//! ([`codec`]), and the driver that serves and pulls entries with the
//! replica ([`driver`]).

pub mod codec;
pub mod driver;
pub mod wire;
