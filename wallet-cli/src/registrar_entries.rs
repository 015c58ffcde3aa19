//! The registrar's ledger entries written from the `nansen` tool: attest, revoke, supersede.
//!
//! The next entry of the registrar's chain is built on the head the node's API reports
//! (`GET /v1/info`, `GET /v1/chains`), signed here with the registrar's key (it never leaves
//! the machine) and submitted as one CBOR entry to `POST /v1/entries` (`specs/api.md`). Only the
//! credential id, the two digests, the event kind and the jurisdiction go on the ledger.

use ledger::payload::{Attestation, Payload, Revocation, RevocationReason, Supersession};
use ledger::signing::KeyPair;
use ledger::state::ChainHead;
use ledger::types::{Author, CredentialId, Hash32, Jurisdiction, RegistrarId};
use ledger::writer::ChainWriter;
use nansen_wire::api::{ChainView, Info};

use crate::node_client::{NodeClient, NodeError};
use crate::EventKind;

/// Why a registrar entry was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum RegistrarEntryError {
    /// The node could not be reached or answered something unexpected.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The registrar id or jurisdiction is not well formed.
    #[error("{0}")]
    BadIdentifier(String),
    /// The node knows no chain for this registrar: it was never accredited there.
    #[error("the node knows no registrar {0:?}: accredit it through governance first")]
    UnknownRegistrar(String),
    /// The key given is not the registrar's current key on the ledger.
    #[error("this key ({given}) is not registrar {registrar:?}'s current key ({current})")]
    NotCurrentKey {
        /// The registrar.
        registrar: String,
        /// The key given (hex).
        given: String,
        /// The key the ledger holds (hex).
        current: String,
    },
    /// The entry could not be signed or encoded.
    #[error("entry: {0}")]
    Entry(String),
    /// The entry has no effect: the node refused it, or logged it void (a
    /// suspension, scope change or fork covers its position). `code` is the
    /// ledger's rejection code or void cause.
    #[error("the node did not accept the entry: {code}: {message}")]
    Refused {
        /// The ledger's rejection code or void cause (`not_accredited`,
        /// `suspended`, `forked`, ...).
        code: String,
        /// For people.
        message: String,
    },
}

impl RegistrarEntryError {
    /// The variant's name, as messages name the error: one name per variant, matched
    /// exhaustively.
    pub fn name(&self) -> &'static str {
        match self {
            RegistrarEntryError::Node(..) => "Node",
            RegistrarEntryError::BadIdentifier(..) => "BadIdentifier",
            RegistrarEntryError::UnknownRegistrar(..) => "UnknownRegistrar",
            RegistrarEntryError::NotCurrentKey { .. } => "NotCurrentKey",
            RegistrarEntryError::Entry(..) => "Entry",
            RegistrarEntryError::Refused { .. } => "Refused",
        }
    }
}

/// What the node said about a submitted entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The entry's sequence number in the registrar's chain.
    pub seq: u64,
    /// The entry's hash (hex).
    pub hash: String,
    /// `accepted` or `duplicate`.
    pub outcome: String,
}

/// The attestation of an issued credential: its id, digests, kind and jurisdiction (as typed:
/// written with the alpha-2 country code, [`Jurisdiction::from_input`]).
pub fn attestation(
    credential_id: [u8; 16],
    di_digest: [u8; 32],
    sd_digest: [u8; 32],
    kind: EventKind,
    jurisdiction: &str,
) -> Result<Attestation, RegistrarEntryError> {
    Ok(Attestation {
        credential_id: CredentialId(credential_id),
        di_digest: Hash32(di_digest),
        sd_digest: Hash32(sd_digest),
        kind,
        jurisdiction: Jurisdiction::from_input(jurisdiction)
            .map_err(|e| RegistrarEntryError::BadIdentifier(e.to_string()))?,
    })
}

/// A revocation of `credential_id` for `reason` (`issued_in_error`, `fraud`,
/// `holder_request`, `annulled`, `other`).
pub fn revocation(credential_id: [u8; 16], reason: &str) -> Result<Payload, RegistrarEntryError> {
    let reason = RevocationReason::from_name(reason).ok_or_else(|| {
        RegistrarEntryError::BadIdentifier(format!(
            "unknown revocation reason {reason:?} ({})",
            RevocationReason::ALL.map(RevocationReason::name).join(", ")
        ))
    })?;
    Ok(Payload::Revoke(Revocation {
        credential_id: CredentialId(credential_id),
        reason,
    }))
}

/// A supersession of `old_credential_id` by the credential `replacement` attests.
pub fn supersession(old_credential_id: [u8; 16], replacement: Attestation) -> Payload {
    Payload::Supersede(Supersession {
        old_credential_id: CredentialId(old_credential_id),
        replacement,
    })
}

/// Builds the next entry of `registrar`'s chain with `payload`, signs it with `seed` and
/// submits it to the node. Refuses early when the key is not the registrar's current key.
pub fn submit(
    node: &NodeClient,
    registrar: &str,
    seed: &[u8; 32],
    payload: Payload,
    time_ms: u64,
) -> Result<Submitted, RegistrarEntryError> {
    let registrar_id = RegistrarId::new(registrar)
        .map_err(|e| RegistrarEntryError::BadIdentifier(e.to_string()))?;
    let info: Info = node.get_json("/v1/info")?;
    let network = Hash32::from_hex(&info.network_id)
        .ok_or_else(|| unexpected("/v1/info", "bad network_id"))?;
    let chains: Vec<ChainView> = node.get_json("/v1/chains")?;
    let chain = chains
        .iter()
        .find(|c| c.author == registrar)
        .ok_or_else(|| RegistrarEntryError::UnknownRegistrar(registrar.to_owned()))?;
    let governance_size = chains
        .iter()
        .find(|c| c.kind == "governance")
        .map_or(0, |c| c.size);
    let key = KeyPair::from_seed(seed);
    let given = key.public().to_hex();
    let current = chain.key.as_deref().unwrap_or_default();
    if current != given {
        return Err(RegistrarEntryError::NotCurrentKey {
            registrar: registrar.to_owned(),
            given,
            current: current.to_owned(),
        });
    }
    let head = ChainHead {
        size: chain.size,
        head: match &chain.head {
            Some(h) => {
                Some(Hash32::from_hex(h).ok_or_else(|| unexpected("/v1/chains", "bad head"))?)
            }
            None => None,
        },
        ..ChainHead::default()
    };
    let mut writer = ChainWriter::new(network, Author::Registrar(registrar_id), &head);
    let entry = writer
        .append(payload, time_ms, governance_size, &[&key])
        .map_err(|e| RegistrarEntryError::Entry(e.to_string()))?;
    let answer = match node.submit(&[entry.bytes().to_vec()]) {
        Ok(answer) => answer,
        Err(NodeError::Api { code, message, .. }) => {
            return Err(RegistrarEntryError::Refused { code, message });
        }
        Err(e) => return Err(e.into()),
    };
    let result = answer
        .results
        .into_iter()
        .next()
        .ok_or_else(|| unexpected("/v1/entries", "no result"))?;
    if result.outcome != "accepted" && result.outcome != "duplicate" {
        return Err(RegistrarEntryError::Refused {
            code: result.code.unwrap_or_else(|| result.outcome.clone()),
            message: result.message.unwrap_or_default(),
        });
    }
    Ok(Submitted {
        seq: entry.body().seq,
        hash: result.hash.unwrap_or_default(),
        outcome: result.outcome,
    })
}

/// An answer of the node that is not what the API documents.
fn unexpected(path: &str, reason: &str) -> NodeError {
    NodeError::Unexpected {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}
