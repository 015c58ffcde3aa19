//! The ledger export: every signed entry of the chains asked for, chain by
//! chain (governance first, then registrars by id, as `Store::heads` lists
//! them), each chain in sequence order, then the evidence (both entries of
//! each equivocation proof, then the disputed entries), as one CBOR sequence
//! (RFC 8742). That order is one a fresh replica ingests without holding
//! anything, and from which it reaches the same state as the source.
//!
//! The export is streamed: the store is read in chunks of at most
//! [`CHUNK_ENTRIES`] entries and [`CHUNK_BYTES`] bytes, one chunk at a time
//! under the store lock, and at most [`CHUNKS_IN_FLIGHT`] chunks wait for
//! the client, so a node's memory for one export stays under about
//! `(CHUNKS_IN_FLIGHT + 2) * CHUNK_BYTES` whatever the size of the ledger.
//! A client that stops reading for [`STALL_TIMEOUT`] is cut off; a store
//! failure part way aborts the response (the chunked body never ends
//! properly, so no client mistakes it for a whole export).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use hyper::body::Frame;
use ledger::types::Author;
use tokio::sync::mpsc;

use crate::replica::{Replica, ReplicaError};

/// Most entries read from the store at a time.
pub const CHUNK_ENTRIES: usize = 1000;
/// Most bytes read from the store at a time (at least one entry).
pub const CHUNK_BYTES: usize = 1024 * 1024;
/// Chunks read ahead of the client.
pub const CHUNKS_IN_FLIGHT: usize = 2;
/// How long a client may leave the export unread before it is cut off.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Response header giving the number of entries the export holds (the sum
/// of the chain sizes when it started).
pub const ENTRIES_HEADER: &str = "nansen-export-entries";

/// What an export holds: the chains (each up to the size it had when the
/// export started) and, after them, the evidence a replica needs to reach
/// the same state (`Ledger::evidence_entries`: both entries of every
/// equivocation proof, then the disputed entries).
pub struct Plan {
    /// The chains, in export order, with their sizes.
    pub chains: Vec<(Author, u64)>,
    /// The evidence entries, sent after every chain.
    pub evidence: Vec<Vec<u8>>,
}

impl Plan {
    /// How many entries the export holds.
    pub fn total(&self) -> u64 {
        self.chains.iter().map(|(_, size)| size).sum::<u64>() + self.evidence.len() as u64
    }
}

/// The chains to export (those of `authors`, or all), how many entries they
/// hold now, and the evidence that goes after them. The evidence is read
/// whole: it is what authors signed past a fork, which freezes the chain.
pub async fn plan(replica: &Replica, authors: Option<Vec<Author>>) -> Result<Plan, ReplicaError> {
    let plan = replica
        .with(move |s| {
            let chains = s
                .heads()
                .into_iter()
                .filter(|(a, _)| authors.as_ref().is_none_or(|list| list.contains(a)))
                .map(|(a, h)| (a, h.size))
                .collect();
            let evidence = s.evidence_entries(authors.as_deref())?;
            Ok::<_, ledger::store::StoreError>(Plan { chains, evidence })
        })
        .await??;
    Ok(plan)
}

/// A response body streaming the entries of the plan's chains (each up to
/// the size given) from the store, then its evidence.
pub fn body(replica: Replica, plan: Plan) -> Body {
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    tokio::spawn(async move {
        match produce(&replica, plan, &sender).await {
            Ok(()) => {}
            Err(ProduceError::Gone) => tracing::debug!("export client went away"),
            Err(e) => {
                tracing::warn!(error = %e, "export stopped");
                let _ = sender.send(Err(std::io::Error::other(e.to_string()))).await;
            }
        }
    });
    Body::new(ChannelBody { receiver })
}

#[derive(Debug, thiserror::Error)]
enum ProduceError {
    #[error(transparent)]
    Replica(#[from] ReplicaError),
    #[error(transparent)]
    Store(#[from] ledger::store::StoreError),
    #[error("the client read nothing for {0:?}")]
    Stalled(Duration),
    #[error("the client went away")]
    Gone,
}

async fn produce(
    replica: &Replica,
    plan: Plan,
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> Result<(), ProduceError> {
    let send = |bytes: Bytes| async move {
        match tokio::time::timeout(STALL_TIMEOUT, sender.send(Ok(bytes))).await {
            Err(_) => Err(ProduceError::Stalled(STALL_TIMEOUT)),
            Ok(Err(_)) => Err(ProduceError::Gone),
            Ok(Ok(())) => Ok(()),
        }
    };
    for (author, size) in plan.chains {
        let mut next = 0u64;
        while next < size {
            let who = author.clone();
            let wanted = CHUNK_ENTRIES.min((size - next) as usize);
            let chunk = replica
                .with(move |s| s.range(&who, next, wanted, CHUNK_BYTES))
                .await??;
            if chunk.is_empty() {
                break;
            }
            next += chunk.len() as u64;
            send(Bytes::from(chunk.concat())).await?;
        }
    }
    for chunk in plan.evidence.chunks(CHUNK_ENTRIES) {
        send(Bytes::from(chunk.concat())).await?;
    }
    Ok(())
}

/// A body fed by the export task.
struct ChannelBody {
    receiver: mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.receiver
            .poll_recv(cx)
            .map(|next| next.map(|chunk| chunk.map(Frame::data)))
    }
}

/// Why `nansen-node export` could not write the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The node could not be reached or refused.
    #[error(transparent)]
    Client(#[from] crate::client::ClientError),
    /// The stream broke off before its end (the node stopped, or failed
    /// reading its store).
    #[error("the export stream broke off after {entries} entries: {reason}")]
    BrokenOff {
        /// Entries received whole.
        entries: u64,
        /// What the connection said.
        reason: String,
    },
    /// What the node sent is not a CBOR sequence of entries.
    #[error("the node sent something other than a ledger export: {0}")]
    NotAnExport(#[from] crate::cbor_seq::SeqError),
    /// Writing the file failed (nothing is left at its path).
    #[error("writing {path}: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// What [`write_export`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    /// Entries written.
    pub entries: u64,
    /// Bytes written.
    pub bytes: u64,
    /// The entry count the node announced when the export began.
    pub announced: Option<u64>,
}

/// Streams `GET /v1/export` of the node of `client` into the file at
/// `out`, checking that it is a CBOR sequence of items no longer than the
/// network's `max_entry_bytes`; the file appears at `out` only once whole
/// (see [`nansen_files::private::PrivateFile`]). `progress` (its length set from
/// the announced count) is told the entries written.
pub async fn write_export(
    client: &crate::client::ApiClient,
    out: &std::path::Path,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<ExportSummary, ExportError> {
    let max_item = crate::import::max_entry_bytes(client).await?;
    let stream = client.get_stream("/v1/export").await?;
    let announced = stream.announced_entries;
    if let (Some(bar), Some(total)) = (progress, announced) {
        bar.set_length(total);
    }
    let out = out.to_path_buf();
    let progress = progress.cloned();
    // The body is a blocking reader: read and write on a blocking thread.
    tokio::task::spawn_blocking(move || {
        write_stream(stream.body, &out, max_item, progress.as_ref()).map(|(entries, bytes)| {
            ExportSummary {
                entries,
                bytes,
                announced,
            }
        })
    })
    .await
    .unwrap_or_else(|e| {
        Err(ExportError::BrokenOff {
            entries: 0,
            reason: format!("the export's thread failed: {e}"),
        })
    })
}

/// Frames `body` into items no longer than `max_item` and writes them to a private file at
/// `out`, committed once whole; the items and bytes written.
fn write_stream(
    mut body: impl std::io::Read,
    out: &std::path::Path,
    max_item: usize,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<(u64, u64), ExportError> {
    let write_error = |source| ExportError::Write {
        path: out.to_path_buf(),
        source,
    };
    let mut file = nansen_files::private::PrivateFile::create(out).map_err(write_error)?;
    let mut framer = crate::cbor_seq::SeqFramer::new(max_item);
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(ExportError::BrokenOff {
                    entries: framer.items(),
                    reason: e.to_string(),
                })
            }
        };
        framer.push(&buffer[..read]);
        while let Some(item) = framer.next_item()? {
            file.write_all(&item).map_err(write_error)?;
        }
        if let Some(bar) = progress {
            bar.set_position(framer.items());
        }
    }
    framer.finish()?;
    file.commit(nansen_files::private::Existing::Replace)
        .map_err(write_error)?;
    Ok((framer.items(), framer.offset()))
}
