//! Bytes this node sends and receives over its TCP connections to peers.
//!
//! [`Counted`] wraps each raw TCP stream, below Noise and Yamux, so the
//! counts are the bytes the operating system was handed and gave back: the
//! sync protocol, gossip, identify, Kademlia and ping with every layer of
//! framing and encryption. QUIC connections are not counted (their bytes
//! pass through the QUIC stack's own UDP socket). The counts cover the
//! process's lifetime and start at zero on every start.
//!
//! libp2p's own bandwidth metrics (`libp2p-metrics`) count bytes above the
//! multiplexer, without Noise and Yamux framing, and need a
//! `prometheus-client` registry; a node that wants to know what it puts on
//! the wire counts here instead.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use libp2p::futures::{AsyncRead, AsyncWrite};

/// The node's byte counters, shared by every counted stream (clones count
/// into the same totals).
#[derive(Debug, Default, Clone)]
pub struct TrafficCounters {
    sent: Arc<AtomicU64>,
    received: Arc<AtomicU64>,
}

impl TrafficCounters {
    /// Bytes written to peers' TCP connections since the node started.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Bytes read from peers' TCP connections since the node started.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Wraps a stream so that its reads and writes are counted here.
    pub fn count<S>(&self, inner: S) -> Counted<S> {
        Counted {
            inner,
            counters: self.clone(),
        }
    }
}

/// A stream whose bytes read and written are added to [`TrafficCounters`].
#[derive(Debug)]
pub struct Counted<S> {
    inner: S,
    counters: TrafficCounters,
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(n)) = &poll {
            this.counters
                .received
                .fetch_add(*n as u64, Ordering::Relaxed);
        }
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &poll {
            this.counters.sent.fetch_add(*n as u64, Ordering::Relaxed);
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = &poll {
            this.counters.sent.fetch_add(*n as u64, Ordering::Relaxed);
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libp2p::futures::executor::block_on;
    use libp2p::futures::io::Cursor;
    use libp2p::futures::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn reads_and_writes_add_up_in_every_clone() {
        let counters = TrafficCounters::default();
        let mut a = counters.count(Cursor::new(vec![0u8; 100]));
        let mut b = counters.clone().count(Cursor::new(Vec::new()));
        block_on(async {
            let mut buf = [0u8; 60];
            a.read_exact(&mut buf).await.expect("read");
            b.write_all(&[1u8; 25]).await.expect("write");
            a.write_all(&[2u8; 10]).await.expect("write");
        });
        assert_eq!(counters.received(), 60);
        assert_eq!(counters.sent(), 35);
    }
}
