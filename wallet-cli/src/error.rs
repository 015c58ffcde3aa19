//! The one error type of the credential modules: defined in [`nansen_verifier::error`], shared with the browser verifier.

pub use nansen_verifier::error::*;
