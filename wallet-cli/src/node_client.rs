//! The node's API as the wallet and the verifier call it: the project's one HTTP client
//! ([`nansen_client`]: timeouts, bounded answers, the API's types), under the names the
//! wallet's modules use.

pub use nansen_client::{ClientError as NodeError, NodeClient, MAX_RESPONSE_BYTES};
