//! The verifier's trust file (`nansen-verifier-trust/1`, `specs/credentials.md` section 15.1):
//! what a verifier away from any node trusts (the network's genesis, the witness keys whose
//! cosignatures make a checkpoint, the freshness policy) and, optionally, a ledger export
//! for the accreditation and status checks.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ledger::checkpoint::VerifierKey;
use ledger::genesis::Genesis;
use ledger::types::NetworkId;
use serde::{Deserialize, Serialize};

use crate::ledger_checks::{ingest, Replica, DEFAULT_MAX_EVIDENCE_AGE};

/// The `format` member of a trust file.
pub const TRUST_FORMAT: &str = "nansen-verifier-trust/1";

/// The largest trust file read (bytes of JSON text): the ledger export it may carry included.
pub const MAX_TRUST_BYTES: usize = 64 * 1024 * 1024;

/// A trust file as written (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustFile {
    /// Always [`TRUST_FORMAT`].
    pub format: String,
    /// The network id (hex SHA-256 of the genesis), which `genesis` must hash to.
    pub network_id: String,
    /// The genesis file's bytes (canonical CBOR), base64 (standard, padded).
    pub genesis: String,
    /// The trusted witness keys (`name+keyid+base64key`, the form `--witness` takes).
    pub witnesses: Vec<String>,
    /// Status evidence older than this (seconds) is stale.
    pub max_evidence_age_seconds: i64,
    /// A ledger export (`nansen-node export`'s bytes), base64, for the accreditation and
    /// status checks; absent, they are skipped (signature only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<String>,
    /// When the export was written (Unix seconds), for people; absent without `ledger`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger_written: Option<i64>,
}

/// Why a trust file was refused.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// Not JSON of the trust file's shape.
    #[error("the trust file is not a {TRUST_FORMAT} JSON object: {0}")]
    Malformed(String),
    /// Larger than [`MAX_TRUST_BYTES`].
    #[error("the trust file is larger than {MAX_TRUST_BYTES} bytes")]
    TooLarge,
    /// Another format.
    #[error("the trust file's format is {0:?}, expected {TRUST_FORMAT:?}")]
    UnknownFormat(String),
    /// The genesis is not base64 of a genesis.
    #[error("the trust file's genesis: {0}")]
    BadGenesis(String),
    /// The genesis hashes to another network id.
    #[error("the trust file's genesis is for network {actual}, not {stated}")]
    NetworkMismatch {
        /// `network_id` as written.
        stated: String,
        /// What the genesis hashes to.
        actual: String,
    },
    /// A witness key does not parse.
    #[error("the trust file's witness key {0:?}: {1}")]
    BadWitness(String, String),
    /// The freshness policy is negative.
    #[error("the trust file's max_evidence_age_seconds is negative")]
    BadPolicy,
    /// The ledger export is not base64 or does not ingest.
    #[error("the trust file's ledger export: {0}")]
    BadLedger(String),
}

impl TrustError {
    /// The error's name (`MalformedTrustFile`, ...), matched exhaustively.
    pub fn name(&self) -> &'static str {
        match self {
            TrustError::Malformed(_) => "MalformedTrustFile",
            TrustError::TooLarge => "TrustFileTooLarge",
            TrustError::UnknownFormat(_) => "UnknownTrustFormat",
            TrustError::BadGenesis(_) => "BadGenesis",
            TrustError::NetworkMismatch { .. } => "NetworkMismatch",
            TrustError::BadWitness(..) => "BadWitnessKey",
            TrustError::BadPolicy => "BadFreshnessPolicy",
            TrustError::BadLedger(_) => "BadLedgerExport",
        }
    }
}

/// A trust file, checked and opened: what the ledger checks use.
pub struct Trust {
    /// The network.
    pub network: NetworkId,
    /// The trusted witness keys.
    pub witnesses: Vec<VerifierKey>,
    /// The freshness policy (seconds).
    pub max_evidence_age: i64,
    /// The replica built from the carried export, if any.
    pub replica: Option<Replica>,
}

impl TrustFile {
    /// The trust file of a network: its genesis bytes, witness keys and policy (the default
    /// policy, [`DEFAULT_MAX_EVIDENCE_AGE`], unless given), optionally an export.
    pub fn new(
        genesis_bytes: &[u8],
        witnesses: Vec<String>,
        max_evidence_age: Option<i64>,
        ledger: Option<(&[u8], i64)>,
    ) -> Result<TrustFile, TrustError> {
        let genesis = Genesis::from_bytes(genesis_bytes)
            .map_err(|e| TrustError::BadGenesis(e.to_string()))?;
        let network = genesis
            .network_id()
            .map_err(|e| TrustError::BadGenesis(e.to_string()))?;
        let file = TrustFile::unchecked(
            genesis_bytes,
            network.to_hex(),
            witnesses,
            max_evidence_age,
            ledger,
        );
        // What is written must open.
        file.open()?;
        Ok(file)
    }

    /// The trust file of a node's own network, not opened to check it (the node's genesis,
    /// witness key and export are its own): `network_id` as the node computed it.
    pub fn unchecked(
        genesis_bytes: &[u8],
        network_id: String,
        witnesses: Vec<String>,
        max_evidence_age: Option<i64>,
        ledger: Option<(&[u8], i64)>,
    ) -> TrustFile {
        TrustFile {
            format: TRUST_FORMAT.to_owned(),
            network_id,
            genesis: STANDARD.encode(genesis_bytes),
            witnesses,
            max_evidence_age_seconds: max_evidence_age.unwrap_or(DEFAULT_MAX_EVIDENCE_AGE),
            ledger: ledger.map(|(bytes, _)| STANDARD.encode(bytes)),
            ledger_written: ledger.map(|(_, at)| at),
        }
    }

    /// Parses a trust file's text (at most [`MAX_TRUST_BYTES`]).
    pub fn parse(text: &str) -> Result<TrustFile, TrustError> {
        if text.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge);
        }
        let file: TrustFile =
            serde_json::from_str(text).map_err(|e| TrustError::Malformed(e.to_string()))?;
        if file.format != TRUST_FORMAT {
            return Err(TrustError::UnknownFormat(file.format));
        }
        Ok(file)
    }

    /// Checks the file and builds what the checks use (the replica of its export, if any).
    pub fn open(&self) -> Result<Trust, TrustError> {
        let genesis_bytes = STANDARD
            .decode(&self.genesis)
            .map_err(|e| TrustError::BadGenesis(e.to_string()))?;
        let genesis = Genesis::from_bytes(&genesis_bytes)
            .map_err(|e| TrustError::BadGenesis(e.to_string()))?;
        let network = genesis
            .network_id()
            .map_err(|e| TrustError::BadGenesis(e.to_string()))?;
        if network.to_hex() != self.network_id {
            return Err(TrustError::NetworkMismatch {
                stated: self.network_id.clone(),
                actual: network.to_hex(),
            });
        }
        let witnesses = self
            .witnesses
            .iter()
            .map(|w| {
                VerifierKey::parse(w).map_err(|e| TrustError::BadWitness(w.clone(), e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if self.max_evidence_age_seconds < 0 {
            return Err(TrustError::BadPolicy);
        }
        let replica = match &self.ledger {
            None => None,
            Some(b64) => {
                let bytes = STANDARD
                    .decode(b64)
                    .map_err(|e| TrustError::BadLedger(e.to_string()))?;
                Some(
                    ingest(
                        &genesis,
                        bytes.as_slice(),
                        crate::ledger_checks::ReplicaSource::TrustFile,
                        None,
                    )
                    .map_err(|e| TrustError::BadLedger(e.to_string()))?,
                )
            }
        };
        Ok(Trust {
            network,
            witnesses,
            max_evidence_age: self.max_evidence_age_seconds,
            replica,
        })
    }
}
