//! Writing new entries through a node: what the registrar and governance
//! commands use. The next entry is built on the chain head the node's API
//! reports, signed locally (keys never leave the machine), and submitted.
//!
//! Governance entries need a threshold of signatures gathered from several
//! key holders, possibly offline: a [`GovernanceDraft`] is a file holding
//! the exact body bytes and the signatures collected so far; it travels
//! (e.g. on a USB stick), each holder adds a signature, and whoever holds
//! it when the threshold is met submits it.

use ledger::codec::{self, CodecError};
use ledger::entry::{Entry, EntryBody, EntryError, EntrySignature};
use ledger::payload::Payload;
use ledger::signing::{KeyPair, ENTRY_DOMAIN};
use ledger::state::ChainHead;
use ledger::types::{Author, Hash32};
use ledger::writer::ChainWriter;
use nansen_wire::api::{ChainView, Info, SubmitAnswer};
use serde::{Deserialize, Serialize};

use crate::client::{ApiClient, ClientError};

/// Why an entry could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    /// The API call failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The entry could not be encoded or signed.
    #[error("entry: {0}")]
    Entry(#[from] EntryError),
    /// A draft file is not a draft.
    #[error("draft: {0}")]
    Draft(#[from] CodecError),
    /// The node's answer lacks something the command needs.
    #[error("{0}")]
    Node(String),
    /// The draft is not a governance entry.
    #[error("the draft is not a governance entry")]
    NotGovernance,
}

/// What a node says about the chains and network, for building entries.
#[derive(Debug, Clone)]
pub struct NodeView {
    /// The network id.
    pub network: Hash32,
    /// Every chain.
    pub chains: Vec<ChainView>,
}

impl NodeView {
    /// Asks the node.
    pub async fn fetch(client: &ApiClient) -> Result<Self, AuthoringError> {
        let info: Info = client.get_json("/v1/info").await?;
        let network = Hash32::from_hex(&info.network_id)
            .ok_or_else(|| AuthoringError::Node("bad network id from the node".into()))?;
        let chains: Vec<ChainView> = client.get_json("/v1/chains").await?;
        Ok(NodeView { network, chains })
    }

    /// The head of `author`'s chain (empty if the node has none).
    pub fn head(&self, author: &Author) -> Result<ChainHead, AuthoringError> {
        let Some(chain) = self.chains.iter().find(|c| c.author == author.as_str()) else {
            return Ok(ChainHead::default());
        };
        let head = match &chain.head {
            Some(h) => Some(
                Hash32::from_hex(h).ok_or_else(|| AuthoringError::Node("bad head hash".into()))?,
            ),
            None => None,
        };
        Ok(ChainHead {
            size: chain.size,
            head,
            ..ChainHead::default()
        })
    }

    /// The size of the governance chain.
    pub fn governance_size(&self) -> u64 {
        self.chains
            .iter()
            .find(|c| c.kind == "governance")
            .map_or(0, |c| c.size)
    }

    /// A writer for the next entry of `author`'s chain.
    pub fn writer(&self, author: Author) -> Result<ChainWriter, AuthoringError> {
        let head = self.head(&author)?;
        Ok(ChainWriter::new(self.network, author, &head))
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Builds, signs and submits the next entry of a registrar's chain.
/// Returns the signed entry and the node's JSON answer.
pub async fn append_registrar_entry(
    client: &ApiClient,
    registrar: &ledger::types::RegistrarId,
    key: &KeyPair,
    payload: Payload,
) -> Result<(Entry, SubmitAnswer), AuthoringError> {
    let view = NodeView::fetch(client).await?;
    let mut writer = view.writer(Author::Registrar(registrar.clone()))?;
    let entry = writer.append(payload, now_ms(), view.governance_size(), &[key])?;
    let answer = client.submit(&[entry.bytes().to_vec()]).await?;
    Ok((entry, answer))
}

/// A governance entry being signed by several key holders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceDraft {
    /// The canonical body bytes to sign.
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
    /// Signatures gathered so far.
    pub signatures: Vec<EntrySignature>,
}

impl GovernanceDraft {
    /// A draft of the next governance entry on the node's head.
    pub async fn new(client: &ApiClient, payload: Payload) -> Result<Self, AuthoringError> {
        if !payload.is_governance() {
            return Err(AuthoringError::NotGovernance);
        }
        let view = NodeView::fetch(client).await?;
        let writer = view.writer(Author::Governance)?;
        let body = writer.next_body(payload, now_ms(), 0);
        Ok(GovernanceDraft {
            body: codec::encode(&body)?,
            signatures: Vec::new(),
        })
    }

    /// The decoded body.
    pub fn body(&self) -> Result<EntryBody, AuthoringError> {
        let body: EntryBody = codec::decode_canonical(&self.body)?;
        if body.author != Author::Governance {
            return Err(AuthoringError::NotGovernance);
        }
        Ok(body)
    }

    /// Adds (or replaces) the signature of `key`.
    pub fn sign(&mut self, key: &KeyPair) -> Result<(), AuthoringError> {
        self.body()?;
        let public = key.public();
        self.signatures.retain(|s| s.key != public);
        self.signatures.push(EntrySignature {
            key: public,
            signature: key.sign(ENTRY_DOMAIN, &self.body),
        });
        self.signatures.sort_by_key(|s| s.key);
        Ok(())
    }

    /// The signed entry.
    pub fn to_entry(&self) -> Result<Entry, AuthoringError> {
        self.body()?;
        Ok(Entry::from_parts(
            self.body.clone(),
            self.signatures.clone(),
        )?)
    }

    /// The draft file's bytes (canonical CBOR).
    pub fn to_bytes(&self) -> Result<Vec<u8>, AuthoringError> {
        Ok(codec::encode(self)?)
    }

    /// Reads a draft file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AuthoringError> {
        let draft: GovernanceDraft = codec::decode_canonical(bytes)?;
        draft.body()?;
        Ok(draft)
    }
}
