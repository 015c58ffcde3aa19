//! The genesis document: what defines a network. Its SHA-256 over the
//! canonical encoding is the network id that every entry names.

use crate::codec::{self, CodecError};
use crate::signing::{check_public_key, KeyError};
use crate::types::{sha256, NetworkId, PublicKeyBytes};
use serde::{Deserialize, Serialize};

/// Current genesis format version.
pub const GENESIS_VERSION: u8 = 1;

/// Bounds every node of the network enforces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest signed entry accepted, in bytes.
    pub max_entry_bytes: u32,
    /// Most entries held while waiting for a dependency, per node.
    pub max_held_entries: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entry_bytes: 16 * 1024,
            max_held_entries: 100_000,
        }
    }
}

/// The genesis document of a network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Genesis {
    /// Format version, [`GENESIS_VERSION`].
    pub version: u8,
    /// Human-readable network name, e.g. `nansen-jordan-pilot`.
    pub name: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// The initial governance keys.
    pub governance_keys: Vec<PublicKeyBytes>,
    /// How many distinct governance keys must sign a governance entry.
    pub threshold: u8,
    /// Limits enforced by every node.
    pub limits: Limits,
}

/// Why a genesis document is unacceptable.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum GenesisError {
    /// Not the canonical encoding of a genesis document.
    #[error("genesis encoding: {0}")]
    Codec(#[from] CodecError),
    /// Unknown format version.
    #[error("unsupported genesis version {0}")]
    Version(u8),
    /// The threshold is zero or larger than the number of keys.
    #[error("governance threshold {threshold} is not between 1 and {keys}")]
    Threshold {
        /// The threshold given.
        threshold: u8,
        /// How many keys there are.
        keys: usize,
    },
    /// The same governance key appears twice, or keys are not sorted.
    #[error("governance keys must be distinct and sorted")]
    KeyOrder,
    /// A governance key is not a usable Ed25519 public key.
    #[error("governance key: {0}")]
    Key(#[from] KeyError),
    /// The name is empty or longer than 64 bytes.
    #[error("network name must be 1-64 bytes")]
    Name,
}

impl GenesisError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            GenesisError::Codec(..) => "codec",
            GenesisError::Version(..) => "version",
            GenesisError::Threshold { .. } => "threshold",
            GenesisError::KeyOrder => "key_order",
            GenesisError::Key(..) => "key",
            GenesisError::Name => "name",
        }
    }
}

impl Genesis {
    /// Builds a genesis document, sorting the keys, and checks it.
    pub fn new(
        name: &str,
        created_ms: u64,
        mut governance_keys: Vec<PublicKeyBytes>,
        threshold: u8,
        limits: Limits,
    ) -> Result<Self, GenesisError> {
        governance_keys.sort();
        let genesis = Genesis {
            version: GENESIS_VERSION,
            name: name.to_owned(),
            created_ms,
            governance_keys,
            threshold,
            limits,
        };
        genesis.check()?;
        Ok(genesis)
    }

    /// Checks the rules a genesis document must satisfy.
    pub fn check(&self) -> Result<(), GenesisError> {
        if self.version != GENESIS_VERSION {
            return Err(GenesisError::Version(self.version));
        }
        if self.name.is_empty() || self.name.len() > 64 {
            return Err(GenesisError::Name);
        }
        check_key_set(&self.governance_keys, self.threshold)
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Result<Vec<u8>, GenesisError> {
        Ok(codec::encode(self)?)
    }

    /// Reads and checks a canonical genesis document.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, GenesisError> {
        let genesis: Genesis = codec::decode_canonical(bytes)?;
        genesis.check()?;
        Ok(genesis)
    }

    /// The network id: SHA-256 of the canonical encoding.
    pub fn network_id(&self) -> Result<NetworkId, GenesisError> {
        Ok(sha256(&self.to_bytes()?))
    }
}

/// Checks a governance key set: sorted, distinct, usable keys, and a threshold
/// between 1 and the number of keys.
pub fn check_key_set(keys: &[PublicKeyBytes], threshold: u8) -> Result<(), GenesisError> {
    if threshold == 0 || usize::from(threshold) > keys.len() {
        return Err(GenesisError::Threshold {
            threshold,
            keys: keys.len(),
        });
    }
    if keys.windows(2).any(|w| w[0] >= w[1]) {
        return Err(GenesisError::KeyOrder);
    }
    for key in keys {
        check_public_key(key)?;
    }
    Ok(())
}
