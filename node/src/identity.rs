//! The node's libp2p identity: an Ed25519 keypair kept as its 32-byte seed.
//!
//! Storing the seed (encrypted, in a key file) is the caller's job; this
//! module only turns seed bytes into a keypair and back.

use libp2p::identity::{ed25519, Keypair};
use libp2p::PeerId;

/// Why a node key could not be made from bytes.
#[derive(Debug, thiserror::Error)]
pub enum NodeKeyError {
    /// The seed was not 32 bytes.
    #[error("a node key seed is 32 bytes, got {0}")]
    WrongSeedLength(usize),
}

/// The node's long-term Ed25519 identity key.
#[derive(Clone)]
pub struct NodeKey {
    keypair: ed25519::Keypair,
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeKey")
            .field("peer_id", &self.peer_id())
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        NodeKey {
            keypair: ed25519::Keypair::generate(),
        }
    }

    /// The key whose secret seed is `seed`, which must be 32 bytes long.
    pub fn from_seed(seed: &[u8]) -> Result<Self, NodeKeyError> {
        let mut seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| NodeKeyError::WrongSeedLength(seed.len()))?;
        // `try_from_bytes` zeroes the copy it is given.
        let secret = ed25519::SecretKey::try_from_bytes(&mut seed)
            .map_err(|_| NodeKeyError::WrongSeedLength(32))?;
        Ok(NodeKey {
            keypair: ed25519::Keypair::from(secret),
        })
    }

    /// The 32-byte secret seed, to be stored (encrypted) by the caller.
    pub fn seed(&self) -> [u8; 32] {
        let secret = self.keypair.secret();
        let mut seed = [0u8; 32];
        seed.copy_from_slice(secret.as_ref());
        seed
    }

    /// The libp2p keypair, for building a swarm.
    pub fn keypair(&self) -> Keypair {
        Keypair::from(self.keypair.clone())
    }

    /// The peer id this key gives the node.
    pub fn peer_id(&self) -> PeerId {
        self.keypair().public().to_peer_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_round_trips_to_the_same_peer_id() {
        let key = NodeKey::generate();
        let again = NodeKey::from_seed(&key.seed()).unwrap();
        assert_eq!(key.peer_id(), again.peer_id());
        assert_eq!(key.seed(), again.seed());
    }

    #[test]
    fn same_seed_gives_same_identity() {
        assert_eq!(
            NodeKey::from_seed(&[3; 32]).unwrap().peer_id(),
            NodeKey::from_seed(&[3; 32]).unwrap().peer_id()
        );
        assert_ne!(
            NodeKey::from_seed(&[3; 32]).unwrap().peer_id(),
            NodeKey::from_seed(&[4; 32]).unwrap().peer_id()
        );
    }

    #[test]
    fn wrong_seed_length_is_refused() {
        assert!(matches!(
            NodeKey::from_seed(&[0; 31]),
            Err(NodeKeyError::WrongSeedLength(31))
        ));
    }
}
