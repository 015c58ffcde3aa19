//! Progress bars (indicatif) for long operations of the `nansen-node`
//! command and the node: shown on standard error, and only when it is a
//! terminal, so logs and pipes never receive bar drawings.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Ledger entries.
    Entries,
    /// Bytes (of a file).
    Bytes,
}

/// A bar of `total` units labelled `message`, or `None` when standard
/// error is not a terminal.
pub fn progress_bar(total: u64, unit: Unit, message: impl Into<String>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let template = match unit {
        Unit::Entries => "{msg} [{bar:40}] {pos}/{len} entries ({per_sec}, eta {eta})",
        Unit::Bytes => "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    };
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(message.into());
    Some(bar)
}
