//! The node as a witness: its cosignature key, and the rules for keeping
//! cosignatures received from other witnesses.
//!
//! The witness key is derived from the node key's seed
//! (`SHA-256("nansen/witness/v1" || seed)`), so a node has one secret to
//! keep. Its C2SP key name is self-certifying: `nansen-witness-<public key
//! hex>`. A receiver can therefore check a cosignature from any node
//! without configuration; which witnesses a *verifier* trusts is the
//! verifier's choice (portable proofs are checked against trusted keys).
//!
//! The node also signs the checkpoints it serves with a classic signed-note
//! key (type `0x01`), so that any C2SP note verifier (Go's
//! `golang.org/x/mod/sumdb/note`, for one) finds a signature it can check.
//! It is derived the same way (`SHA-256("nansen/checkpoint-note/v1" ||
//! seed)`), named `nansen-node-<public key hex>`, published in `GET
//! /v1/info` as `checkpoint_key`, and vouches for what the cosignature
//! does, without a timestamp. A distinct key, because a key is never used
//! for two signature types.
//!
//! Consistency is checked by the ledger store before cosigning
//! ([`ledger::store::Store::cosign_checkpoint`] keeps the last cosigned
//! size and root per chain in the store and refuses to cosign a chain that
//! shrank or forked).

use ledger::checkpoint::{CheckpointError, KeyType, SignedCheckpoint, SignerKey, VerifierKey};
use ledger::signing::KeyPair;
use sha2::{Digest, Sha256};

/// Prefix of self-certifying witness key names.
pub const WITNESS_NAME_PREFIX: &str = "nansen-witness-";

/// Domain of the witness seed derivation.
const WITNESS_SEED_DOMAIN: &[u8] = b"nansen/witness/v1";

/// Prefix of the names of nodes' checkpoint note keys.
pub const NOTE_KEY_NAME_PREFIX: &str = "nansen-node-";

/// Domain of the checkpoint note key's seed derivation.
const NOTE_SEED_DOMAIN: &[u8] = b"nansen/checkpoint-note/v1";

/// This node's witness identity and the witnesses it trusts by
/// configuration.
#[derive(Debug, Clone)]
pub struct Witness {
    key: SignerKey,
    note_key: SignerKey,
    trusted: Vec<VerifierKey>,
}

/// The key of type `key_type` derived from the node seed under `domain`,
/// named `<prefix><public key hex>`.
fn derived_key(
    seed: &[u8; 32],
    domain: &[u8],
    prefix: &str,
    key_type: KeyType,
) -> Result<SignerKey, CheckpointError> {
    let mut hasher = Sha256::new();
    hasher.update(domain);
    hasher.update(seed);
    let derived: [u8; 32] = hasher.finalize().into();
    let public = KeyPair::from_seed(&derived).public();
    SignerKey::from_seed(&format!("{prefix}{}", public.to_hex()), key_type, derived)
}

impl Witness {
    /// The witness derived from the node key's 32-byte seed, trusting the
    /// given configured keys in addition to self-certifying ones.
    pub fn from_node_seed(
        seed: &[u8; 32],
        trusted: Vec<VerifierKey>,
    ) -> Result<Self, CheckpointError> {
        let key = derived_key(
            seed,
            WITNESS_SEED_DOMAIN,
            WITNESS_NAME_PREFIX,
            KeyType::Cosignature,
        )?;
        let note_key = derived_key(
            seed,
            NOTE_SEED_DOMAIN,
            NOTE_KEY_NAME_PREFIX,
            KeyType::Ed25519,
        )?;
        Ok(Witness {
            key,
            note_key,
            trusted,
        })
    }

    /// The cosignature key.
    pub fn key(&self) -> &SignerKey {
        &self.key
    }

    /// The checkpoint note key (type `0x01`).
    pub fn note_key(&self) -> &SignerKey {
        &self.note_key
    }

    /// The public key, as `<name>+<key id>+<base64>`.
    pub fn verifier(&self) -> VerifierKey {
        self.key.verifier()
    }

    /// The keys against which a received note is checked: the configured
    /// ones, this node's own, and the self-certifying keys its signature
    /// lines name.
    pub fn keys_for(&self, note: &SignedCheckpoint) -> Vec<VerifierKey> {
        let mut keys = self.trusted.clone();
        keys.push(self.verifier());
        for signature in note.signatures() {
            if let Some(key) = self_certifying_key(&signature.name) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// A copy of `note` keeping only the signature lines that verify under
    /// [`Witness::keys_for`], with those keys. `None` if none verifies.
    pub fn verified_part(
        &self,
        note: &SignedCheckpoint,
    ) -> Result<Option<(SignedCheckpoint, Vec<VerifierKey>)>, CheckpointError> {
        let keys = self.keys_for(note);
        let text = note.note().text().to_owned();
        let mut kept = SignedCheckpoint::new(note.checkpoint().clone())?;
        let mut count = 0;
        for signature in note.signatures() {
            let good = keys
                .iter()
                .any(|k| k.matches(signature) && k.verify(&text, signature).is_ok());
            if good && !kept.signatures().contains(signature) {
                kept.push_signature(signature.clone())?;
                count += 1;
            }
        }
        Ok((count > 0).then_some((kept, keys)))
    }
}

/// The verifier key a `nansen-witness-<hex>` name stands for.
pub fn self_certifying_key(name: &str) -> Option<VerifierKey> {
    let hex_key = name.strip_prefix(WITNESS_NAME_PREFIX)?;
    let bytes: [u8; 32] = hex::decode(hex_key).ok()?.try_into().ok()?;
    VerifierKey::new(name, KeyType::Cosignature, bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger::checkpoint::Checkpoint;

    #[test]
    fn cosignatures_from_self_certifying_witnesses_are_kept_and_forgeries_dropped() {
        let a = Witness::from_node_seed(&[1; 32], Vec::new()).expect("witness");
        let b = Witness::from_node_seed(&[2; 32], Vec::new()).expect("witness");
        let mut note = SignedCheckpoint::new(Checkpoint {
            origin: "nansen/00/registrar-1".into(),
            size: 3,
            root: [9; 32],
            extensions: Vec::new(),
        })
        .expect("note");
        note.cosign(b.key(), 1_700_000_000).expect("cosign");
        let (kept, _) = a.verified_part(&note).expect("parse").expect("verified");
        assert_eq!(kept.signatures().len(), 1);

        // Same name, another key: the line does not verify and is dropped.
        let forger = SignerKey::from_seed(b.key().name(), KeyType::Cosignature, [7; 32])
            .expect("forger key");
        let mut forged = SignedCheckpoint::new(note.checkpoint().clone()).expect("note");
        forged.cosign(&forger, 1_700_000_000).expect("cosign");
        assert!(a.verified_part(&forged).expect("parse").is_none());
    }
}
