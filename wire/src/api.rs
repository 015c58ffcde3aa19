//! The node's HTTP API contract (`specs/api.md`): every JSON body the node sends or reads,
//! defined once. The node's handlers build these types, its `nansen-node` commands and the
//! wallet read them back, and (with the `openapi` feature) the node's `GET /openapi.json` is
//! generated from them. A field here is a field on the wire: renaming one is a change of
//! the API, and the test of `specs/api.md` against the OpenAPI document sees it.
//!
//! Binary values are standard base64 with padding; hashes, keys and ids are lowercase hex
//! where a field's documentation says so.

use ledger::credential::CredentialState;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// `ok` while the node runs.
    pub status: String,
}

/// `GET /v1/info`: who the node is and which network it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Info {
    /// The node's libp2p peer id.
    pub peer_id: String,
    /// The network id (hex of the genesis hash).
    pub network_id: String,
    /// The node's listen addresses (multiaddrs).
    pub listen: Vec<String>,
    /// The C2SP verifier key of the node's witness (`specs/protocol.md` section 7).
    pub witness_key: String,
    /// The C2SP verifier key of the node's checkpoint note key.
    pub checkpoint_key: String,
    /// The network's genesis.
    pub genesis: GenesisInfo,
}

/// The genesis as `GET /v1/info` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GenesisInfo {
    /// The network's name.
    pub name: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// The governance keys, hex.
    pub governance_keys: Vec<String>,
    /// Governance signatures needed.
    pub threshold: u8,
    /// The network's limits.
    pub limits: GenesisLimits,
}

/// The network's limits (`specs/ledger.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GenesisLimits {
    /// Largest signed entry accepted, in bytes.
    pub max_entry_bytes: u32,
    /// Most entries a node holds while they wait for a dependency.
    pub max_held_entries: u32,
}

/// `GET /v1/status`: what `nansen-node status` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NodeStatus {
    /// The node's libp2p peer id.
    pub peer_id: String,
    /// The network id, hex.
    pub network_id: String,
    /// Peer ids of the connected peers.
    pub peers: Vec<String>,
    /// Each chain's size.
    pub chains: Vec<ChainSize>,
    /// Entries held waiting for a dependency.
    pub held: u64,
    /// Equivocation proofs recorded.
    pub equivocation_proofs: u64,
    /// Entries peers announced that this node does not hold yet, summed over chains.
    pub sync_lag: u64,
}

/// One chain's size in [`NodeStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChainSize {
    /// `governance` or a registrar id.
    pub author: String,
    /// Entries in the chain.
    pub size: u64,
}

/// One chain of `GET /v1/chains`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChainView {
    /// `governance` or a registrar id.
    pub author: String,
    /// `governance` or `registrar`.
    pub kind: String,
    /// A registrar's accredited display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A registrar's key for its next entry, hex (absent for governance, and when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The governance keys, hex (governance only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
    /// Governance signatures needed (governance only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u8>,
    /// Entries in the chain.
    pub size: u64,
    /// Hash of the last entry, hex; `null` for an empty chain.
    pub head: Option<String>,
    /// The first void position covering the chain's next entry (`specs/api.md`), or `null`.
    pub frozen_at: Option<u64>,
    /// The best cosigned checkpoint the node holds for the chain, or `null`.
    pub checkpoint: Option<CheckpointSummary>,
}

/// A cosigned checkpoint in [`ChainView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckpointSummary {
    /// Tree size.
    pub size: u64,
    /// Merkle root, base64.
    pub root: String,
    /// Cosignatures on the note.
    pub cosignatures: usize,
}

/// `GET /v1/chains/{author}/proof/inclusion`: an RFC 9162 inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InclusionProof {
    /// The entry's sequence number.
    pub leaf_index: u64,
    /// The size of the tree it is proven in.
    pub tree_size: u64,
    /// The proof's hashes, base64.
    pub hashes: Vec<String>,
}

/// `GET /v1/chains/{author}/proof/consistency`: an RFC 9162 consistency proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConsistencyProof {
    /// The older tree size.
    pub old_size: u64,
    /// The newer tree size.
    pub new_size: u64,
    /// The proof's hashes, base64.
    pub hashes: Vec<String>,
}

/// `GET /v1/credentials/{id}/status`: what the ledger says about a credential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CredentialStatusAnswer {
    /// The credential id, hex.
    pub credential_id: String,
    /// `unknown`, `active`, `revoked`, `superseded`, `disputed` or `ambiguous`.
    pub status: String,
    /// The attesting registrar's chain (absent for `unknown`, `ambiguous` and a `disputed`
    /// answer that lists `records`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<String>,
    /// The attestation's position in that chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The signed attestation entry, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Base64 of the entry that decided the status (`null` while active); present with the
    /// attestation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub decided_by: Option<Option<String>>,
    /// What decided it (`null` while active); present with the attestation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub decision: Option<Option<Decision>>,
    /// The id (hex) of the credential this one replaces, or `null`; present with the
    /// attestation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub replaces: Option<Option<String>>,
    /// The portable proof of the attestation, when the node has cosigned a checkpoint
    /// covering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portable_proof: Option<PortableProofView>,
    /// The registrars and positions of an `ambiguous` or a listed `disputed` credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<RecordRef>>,
}

/// How a credential's status was decided (`decision` of [`CredentialStatusAnswer`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Decision {
    /// The deciding entry's position (`revoked`, `superseded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// A revocation's reason by its snake_case name (`revoked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The id (hex) of the credential that supersedes this one (`superseded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Where the chain forked (`disputed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork_seq: Option<u64>,
}

impl Decision {
    /// The status word of an attested credential's `state` and what decided it (`None` while
    /// active), as the API and a verifier's report name them.
    pub fn of(state: &CredentialState) -> (&'static str, Option<Decision>) {
        match state {
            CredentialState::Active => ("active", None),
            CredentialState::Revoked { seq, reason } => (
                "revoked",
                Some(Decision {
                    seq: Some(*seq),
                    reason: Some(reason.name().to_owned()),
                    ..Decision::default()
                }),
            ),
            CredentialState::Superseded { seq, by } => (
                "superseded",
                Some(Decision {
                    seq: Some(*seq),
                    by: Some(by.to_hex()),
                    ..Decision::default()
                }),
            ),
            CredentialState::Disputed { fork_seq } => (
                "disputed",
                Some(Decision {
                    fork_seq: Some(*fork_seq),
                    ..Decision::default()
                }),
            ),
        }
    }
}

/// One attestation record of an `ambiguous` or `disputed` credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecordRef {
    /// The registrar's chain.
    pub registrar: String,
    /// The attestation's position.
    pub seq: u64,
}

/// The portable proof of an attestation (`specs/credentials.md` section 11), as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PortableProofView {
    /// The signed entry, base64.
    pub entry: String,
    /// The tree size the inclusion proof is against.
    pub tree_size: u64,
    /// The inclusion proof's hashes, base64.
    pub inclusion: Vec<String>,
    /// The cosigned checkpoint note at `tree_size`.
    pub checkpoint: String,
}

/// The answer to `POST /v1/entries` (2xx); a 422 carries the same `results` in its
/// [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmitAnswer {
    /// Entries accepted into their chains.
    pub accepted: usize,
    /// One result per submitted entry, in order.
    pub results: Vec<EntryResult>,
}

/// What happened to one submitted entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntryResult {
    /// Its position in the submission.
    pub index: usize,
    /// `accepted`, `duplicate`, `held`, `void`, `equivocation`, `disputed` or `rejected`.
    pub outcome: String,
    /// Its chain, when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Its sequence number, when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The hash of its body (hex), when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// For `held`: `sequence_gap`, `governance_pending` or `other_history`; for `void`: the
    /// cause; for `rejected`: the ledger's rejection code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For `held`, `void` and `rejected`: what for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Every error answer: a stable snake_case code and a message for humans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    /// Stable snake_case code (`specs/api.md`, Errors).
    pub code: String,
    /// What went wrong, for humans.
    pub message: String,
    /// A 422 to `POST /v1/entries`: each entry's outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<EntryResult>>,
}

/// One equivocation proof of `GET /v1/equivocations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EquivocationView {
    /// The equivocating chain, when the proof decodes.
    pub author: Option<String>,
    /// The contested position, when the proof decodes.
    pub seq: Option<u64>,
    /// The entry with the smaller hash, base64.
    pub first: String,
    /// The other entry, base64.
    pub second: String,
}

/// `GET /v1/peers`: connected and banned peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Peers {
    /// Connected peer ids, sorted.
    pub connected: Vec<String>,
    /// Banned peers, sorted by peer id.
    pub banned: Vec<BannedPeer>,
}

/// One banned peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BannedPeer {
    /// The peer id.
    pub peer_id: String,
    /// Banned until an operator lifts it.
    pub until_lifted: bool,
    /// Seconds until an automatic ban expires, `null` for an operator's ban.
    pub expires_in_secs: Option<u64>,
}

/// The answer to `POST` and `DELETE /v1/peers/{peer_id}/ban`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BanAnswer {
    /// The peer id.
    pub peer_id: String,
    /// Whether the peer is banned now.
    pub banned: bool,
    /// Whether it was banned before the request.
    pub was_banned: bool,
}

/// Reads a field that may be `null` but is known to be there: `Some(None)` for `null`, so
/// that it is written back as `null` (an absent field stays `None` through `default`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_credential_carries_only_its_id_and_status() {
        let unknown = CredentialStatusAnswer {
            credential_id: "00".repeat(16),
            status: "unknown".into(),
            ..CredentialStatusAnswer::default()
        };
        let text = serde_json::to_string(&unknown).expect("serializes");
        assert_eq!(
            text,
            format!(
                r#"{{"credential_id":"{}","status":"unknown"}}"#,
                "00".repeat(16)
            )
        );
        let back: CredentialStatusAnswer = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, unknown);
    }

    #[test]
    fn an_active_credential_shows_its_undecided_fields_as_null() {
        let text = r#"{"credential_id":"ab","status":"active","registrar":"camp-1","seq":7,
            "attestation":"AA==","decided_by":null,"decision":null,"replaces":null}"#;
        let answer: CredentialStatusAnswer = serde_json::from_str(text).expect("reads");
        assert_eq!(answer.decided_by, Some(None));
        assert_eq!(answer.decision, Some(None));
        let again = serde_json::to_value(&answer).expect("serializes");
        assert!(again["decided_by"].is_null() && again.get("decided_by").is_some());
        assert!(again.get("portable_proof").is_none());
    }
}
