//! `nansen`: the holder wallet, registrar issuance and offline verification (see `cli`).

fn main() {
    end_quietly_on_closed_output();
    std::process::exit(nansen_wallet::cli::main());
}

/// `nansen list | head -1`: when the reader of standard output goes away, the process ends
/// quietly as other Unix tools do (SIGPIPE's default action) instead of panicking in
/// `println!` on the broken pipe. Rust sets SIGPIPE to ignored at start-up; restoring the
/// default changes nothing for sockets, which std writes without raising it (MSG_NOSIGNAL on
/// Linux, SO_NOSIGPIPE on Apple systems), so the VC API server and the node client still get
/// an error they handle.
#[cfg(unix)]
fn end_quietly_on_closed_output() {
    // SAFETY: called first in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE and no handler of the program is replaced.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_closed_output() {}
