//! JSON Canonicalization Scheme (RFC 8785): defined in [`nansen_verifier::jcs`], shared with the browser verifier.

pub use nansen_verifier::jcs::*;
