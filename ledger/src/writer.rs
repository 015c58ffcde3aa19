//! Building the next entries of a chain: what a registrar's or governance's
//! tooling uses to sign new entries on top of a known head.

use crate::entry::{Entry, EntryBody, EntryError, ENTRY_VERSION};
use crate::payload::Payload;
use crate::signing::KeyPair;
use crate::state::ChainHead;
use crate::types::{sha256, Author, Hash32, NetworkId};

/// Signs successive entries of one chain.
#[derive(Clone, Debug)]
pub struct ChainWriter {
    network: NetworkId,
    author: Author,
    next_seq: u64,
    prev: Option<Hash32>,
}

impl ChainWriter {
    /// A writer continuing from `head` (use `ChainHead::default()` for a new chain).
    pub fn new(network: NetworkId, author: Author, head: &ChainHead) -> Self {
        Self {
            network,
            author,
            next_seq: head.size,
            prev: head.head,
        }
    }

    /// The seq the next entry will have.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The unsigned body of the next entry (for signatures gathered
    /// separately, as governance does).
    pub fn next_body(&self, payload: Payload, time_ms: u64, governance_size: u64) -> EntryBody {
        let governance_size = match self.author {
            Author::Governance => self.next_seq,
            Author::Registrar(_) => governance_size,
        };
        EntryBody {
            version: ENTRY_VERSION,
            network: self.network,
            author: self.author.clone(),
            seq: self.next_seq,
            prev: self.prev,
            time_ms,
            governance_size,
            payload,
        }
    }

    /// Signs the next entry and advances.
    pub fn append(
        &mut self,
        payload: Payload,
        time_ms: u64,
        governance_size: u64,
        signers: &[&KeyPair],
    ) -> Result<Entry, EntryError> {
        let entry = Entry::sign(self.next_body(payload, time_ms, governance_size), signers)?;
        self.advance(&entry);
        Ok(entry)
    }

    /// Moves past the next entry given only its encoded body (built with
    /// [`Self::next_body`]), before it is signed: the next entry links to
    /// its hash.
    pub fn advance_body_bytes(&mut self, body_bytes: &[u8]) {
        self.next_seq += 1;
        self.prev = Some(sha256(body_bytes));
    }

    /// Moves past an entry built elsewhere from [`Self::next_body`].
    pub fn advance(&mut self, entry: &Entry) {
        self.next_seq = entry.body().seq + 1;
        self.prev = Some(entry.hash());
    }
}
