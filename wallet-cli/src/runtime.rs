//! A tiny executor for `ssi`'s async API.
//!
//! `ssi` 0.16 exposes async signing and verification, but for did:key and statically loaded
//! JSON-LD contexts it never does I/O. Blocking on its futures with a thread-parking waker
//! avoids pulling in an async runtime.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Stack of the thread that runs `ssi`'s futures. JSON-LD expansion and RDF canonicalization
/// recurse once or more per level of the document, with large frames (unoptimised builds
/// overflowed a 2 MiB thread stack at about 13 levels); documents are limited to
/// [`crate::data_integrity::MAX_DOCUMENT_DEPTH`] levels, and this stack holds that depth with
/// room to spare in every build. Only the pages actually used are committed.
pub(crate) const SSI_STACK_BYTES: usize = 64 << 20;

/// Runs `future` to completion on a thread of its own with a [`SSI_STACK_BYTES`] stack (on
/// the current thread if no thread can be started), so that the caller's stack size (a 2 MiB
/// server or test thread) does not decide how deep a document can be.
pub(crate) fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send,
    F::Output: Send,
{
    let mut slot = Some(future);
    let ran = thread::scope(|scope| {
        let handle = thread::Builder::new()
            .name("ssi".into())
            .stack_size(SSI_STACK_BYTES)
            .spawn_scoped(scope, || slot.take().map(block_on_here))
            .ok()?;
        match handle.join() {
            Ok(output) => output,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    match (ran, slot) {
        (Some(output), _) => output,
        (None, Some(future)) => block_on_here(future),
        (None, None) => unreachable!("the future either ran or is still in its slot"),
    }
}

/// Runs `future` to completion on the current thread. For `ssi` work that does not recurse
/// over a document (JWS signing and verification: SD-JWT issuer JWTs and key-binding JWTs),
/// where the thread of [`block_on`] would only add its start-up cost (measured: a third of
/// an SD-JWT presentation's verification time).
pub(crate) fn block_on_here<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            Poll::Pending => thread::park(),
        }
    }
}
