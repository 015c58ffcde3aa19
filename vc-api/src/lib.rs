//! `nansen-vc-api`'s command line ([`cli`]) and what it says to a person ([`i18n`]), as a
//! library so that its tests reach them: the binary (`src/main.rs`) parses [`cli::Args`] and
//! serves; `tests/docs.rs` makes its manual page and completions from the same definition.

pub mod cli;
pub mod i18n;
