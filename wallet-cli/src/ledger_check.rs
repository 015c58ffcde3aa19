//! The ledger side of a presentation as the `nansen` binary sees it: replicas built from an
//! exported ledger file or from a node, and what a node says (network, witness key, status,
//! portable proof). The checks themselves, the envelope and the replica's ingestion are
//! [`nansen_verifier::ledger_checks`], shared with the browser verifier.

use std::path::Path;

use ledger::checkpoint::VerifierKey;
use ledger::genesis::{Genesis, Limits};
use ledger::types::PublicKeyBytes;
pub use nansen_verifier::ledger_checks::*;

use crate::node_client::{NodeClient, NodeError};
use nansen_wire::api::{CredentialStatusAnswer, Info};

/// Why the ledger side could not be set up (not a failed check: an input problem).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// Talking to the node failed.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// A file could not be read.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// The input is not what it should be, in the words of the library that found it (the
    /// verifier core's replica, the ledger's genesis parser).
    #[error("{0}")]
    Bad(String),
    /// What the node answered cannot be used: the catalogue's message `key` with its
    /// arguments (`Display` gives the English).
    #[error("{}", crate::i18n::tr(crate::i18n::Lang::En, key, &args.iter().map(String::as_str).collect::<Vec<_>>()))]
    NodeAnswer {
        /// The message key (`ledger-node-...`).
        key: &'static str,
        /// Its arguments.
        args: Vec<String>,
    },
}

impl LedgerError {
    /// A [`LedgerError::NodeAnswer`], told by the catalogue's message `key`.
    pub fn node_answer(key: &'static str, args: &[&str]) -> LedgerError {
        LedgerError::NodeAnswer {
            key,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }
}

impl From<ReplicaError> for LedgerError {
    fn from(e: ReplicaError) -> Self {
        match e {
            ReplicaError::Bad(text) => LedgerError::Bad(text),
        }
    }
}

/// What `node` answers about credential `id`'s status, for [`Sources::node`]: asked once,
/// before the checks run.
pub fn node_status(node: &NodeClient, id: &[u8; 16]) -> NodeStatus {
    NodeStatus {
        url: node.url(),
        answer: node
            .get_json(&format!("/v1/credentials/{}/status", hex::encode(id)))
            .map_err(|e| e.to_string()),
    }
}

/// Entries' signatures in a replica are checked over all cores.
fn parallel() -> Option<Box<dyn ledger::signing::BatchVerifier>> {
    Some(Box::new(ledger::signing::ParallelVerifier))
}

/// The network id a node serves, and the rest of what it says about itself (`GET /v1/info`).
pub fn node_network(node: &NodeClient) -> Result<(String, Info), LedgerError> {
    let info: Info = node.get_json("/v1/info")?;
    Ok((info.network_id.clone(), info))
}

/// Asks the node for the credential's status and portable proof; returns the proof and the
/// status word.
pub fn fetch_proof(node: &NodeClient, id: &[u8; 16]) -> Result<(ProofJson, String), LedgerError> {
    let (network_id, _) = node_network(node)?;
    let answer: CredentialStatusAnswer =
        node.get_json(&format!("/v1/credentials/{}/status", hex::encode(id)))?;
    let Some(pp) = answer.portable_proof else {
        return Err(LedgerError::node_answer(
            "ledger-node-no-proof",
            &[&hex::encode(id), &answer.status],
        ));
    };
    let proof = ProofJson {
        network_id,
        entry: pp.entry,
        tree_size: pp.tree_size,
        inclusion: pp.inclusion,
        checkpoint: pp.checkpoint,
    };
    Ok((proof, answer.status))
}

/// A replica from an exported ledger file (what `nansen-node export` writes) and the
/// network's genesis file.
pub fn replica_from_file(ledger_file: &Path, genesis_file: &Path) -> Result<Replica, LedgerError> {
    let io = |p: &Path, e| LedgerError::Io(p.display().to_string(), e);
    let genesis_bytes = std::fs::read(genesis_file).map_err(|e| io(genesis_file, e))?;
    let genesis = Genesis::from_bytes(&genesis_bytes)
        .map_err(|e| LedgerError::Bad(format!("{}: {e}", genesis_file.display())))?;
    let file = std::fs::File::open(ledger_file).map_err(|e| io(ledger_file, e))?;
    Ok(ingest(
        &genesis,
        std::io::BufReader::new(file),
        ReplicaSource::LedgerFile(ledger_file.display().to_string()),
        parallel(),
    )?)
}

/// A replica from a node: its genesis (`GET /v1/info`, checked against its network id) and
/// every entry it holds (`GET /v1/export`), validated here.
/// Only the chains that matter for `credential` are fetched (`GET /v1/export?authors=`): the
/// governance chain and the chain of each registrar the node's status names for it; when the
/// node knows no attestation of it, the whole ledger.
pub fn replica_from_node(
    node: &NodeClient,
    credential: Option<&[u8; 16]>,
) -> Result<Replica, LedgerError> {
    let (network_id, info) = node_network(node)?;
    let g = &info.genesis;
    let keys = g
        .governance_keys
        .iter()
        .map(|k| {
            PublicKeyBytes::from_hex(k)
                .ok_or_else(|| LedgerError::node_answer("ledger-node-governance-key", &[k]))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let genesis = Genesis::new(
        &g.name,
        g.created_ms,
        keys,
        g.threshold,
        Limits {
            max_entry_bytes: g.limits.max_entry_bytes,
            max_held_entries: g.limits.max_held_entries,
        },
    )
    .map_err(|e| LedgerError::node_answer("ledger-node-genesis", &[&e.to_string()]))?;
    let computed = genesis
        .network_id()
        .map_err(|e| LedgerError::Bad(e.to_string()))?;
    if computed.to_hex() != network_id {
        return Err(LedgerError::node_answer("ledger-node-network-id", &[]));
    }
    let path = match credential.map(|id| registrars_of(node, id)).transpose()? {
        Some(registrars) if !registrars.is_empty() => {
            format!("/v1/export?authors=governance,{}", registrars.join(","))
        }
        _ => "/v1/export".to_owned(),
    };
    // Read as it arrives: the replica is the only thing that grows with the ledger.
    let export = node.get_stream(&path)?;
    Ok(ingest(
        &genesis,
        export.body,
        ReplicaSource::Node(node.url().to_string()),
        parallel(),
    )?)
}

/// The registrars whose chains hold the attestation(s) of credential `id`, as the node's
/// `GET /v1/credentials/{id}/status` names them (one, or several when ambiguous or disputed).
fn registrars_of(node: &NodeClient, id: &[u8; 16]) -> Result<Vec<String>, LedgerError> {
    let status: CredentialStatusAnswer =
        node.get_json(&format!("/v1/credentials/{}/status", hex::encode(id)))?;
    let mut registrars: Vec<String> = status
        .registrar
        .into_iter()
        .chain(status.records.into_iter().flatten().map(|r| r.registrar))
        .filter(|r| ledger::types::RegistrarId::new(r).is_ok())
        .collect();
    registrars.sort();
    registrars.dedup();
    Ok(registrars)
}

/// The witness key a node uses for its cosignatures (`GET /v1/info`).
pub fn node_witness_keys(node: &NodeClient) -> Result<Vec<VerifierKey>, LedgerError> {
    let (_, info) = node_network(node)?;
    let key = VerifierKey::parse(&info.witness_key)
        .map_err(|e| LedgerError::node_answer("ledger-node-witness-key", &[&e.to_string()]))?;
    Ok(vec![key])
}
