//! The civil-status event kinds and their claim lists: defined in [`nansen_verifier::event`], shared with the browser verifier.

pub use nansen_verifier::event::*;
