//! `did:key` identifiers for Ed25519 keys.
//!
//! A did:key is `did:key:` followed by the multibase base58btc (`z`) encoding of the multicodec
//! `ed25519-pub` prefix (`0xed 0x01`) and the 32-byte public key. Its one verification method has
//! the same multibase string as fragment: `did:key:z6Mk...#z6Mk...`.

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::CredentialError;

/// The did:key method prefix.
pub const DID_KEY_PREFIX: &str = "did:key:";

/// Multicodec prefix of an Ed25519 public key (varint of 0xed).
pub const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// The multibase (base58btc, `z`) encoding of an Ed25519 public key with its multicodec prefix.
pub fn public_key_multibase(public_key: &[u8; 32]) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PUB_MULTICODEC);
    bytes.extend_from_slice(public_key);
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The did:key of an Ed25519 public key.
pub fn did_key_from_public_key(public_key: &[u8; 32]) -> String {
    format!("{DID_KEY_PREFIX}{}", public_key_multibase(public_key))
}

/// The did:key of the public key derived from a 32-byte Ed25519 seed.
pub fn did_key_from_seed(seed: &[u8; 32]) -> String {
    did_key_from_public_key(&public_key_from_seed(seed))
}

/// The Ed25519 public key derived from a 32-byte seed.
pub fn public_key_from_seed(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// The verification method id of a did:key: the DID with its own multibase as fragment.
pub fn verification_method(did: &str) -> Result<String, CredentialError> {
    public_key_from_did_key(did)?;
    let multibase = &did[DID_KEY_PREFIX.len()..];
    Ok(format!("{did}#{multibase}"))
}

/// Longest base58 text decoded as a multibase key (an Ed25519 key with its multicodec prefix,
/// 34 bytes, takes 46 or 47 characters).
pub const MAX_MULTIBASE_CHARS: usize = 64;

/// Decodes a `z`-multibase Ed25519 public key (with its `0xed01` prefix).
pub fn public_key_from_multibase(multibase: &str) -> Result<[u8; 32], CredentialError> {
    let invalid = || CredentialError::InvalidDidKey(multibase.to_owned());
    let encoded = multibase.strip_prefix('z').ok_or_else(invalid)?;
    // Base58 decoding is quadratic in the length: refuse anything longer than a key before
    // decoding (34 bytes are at most 47 characters).
    if encoded.len() > MAX_MULTIBASE_CHARS {
        return Err(invalid());
    }
    let bytes = bs58::decode(encoded).into_vec().map_err(|_| invalid())?;
    let key = bytes
        .strip_prefix(&ED25519_PUB_MULTICODEC[..])
        .ok_or_else(invalid)?;
    let key: [u8; 32] = key.try_into().map_err(|_| invalid())?;
    VerifyingKey::from_bytes(&key).map_err(|_| CredentialError::InvalidPublicKey)?;
    Ok(key)
}

/// The Ed25519 public key of a did:key (a trailing `#fragment` must repeat the key).
pub fn public_key_from_did_key(did: &str) -> Result<[u8; 32], CredentialError> {
    let invalid = || CredentialError::InvalidDidKey(did.to_owned());
    let rest = did.strip_prefix(DID_KEY_PREFIX).ok_or_else(invalid)?;
    let (multibase, fragment) = match rest.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| f != multibase) {
        return Err(invalid());
    }
    public_key_from_multibase(multibase).map_err(|e| match e {
        CredentialError::InvalidDidKey(_) => invalid(),
        other => other,
    })
}

/// The DID part of a DID URL (everything before `#`).
pub fn did_of(did_url: &str) -> &str {
    did_url.split_once('#').map_or(did_url, |(did, _)| did)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_key_round_trips() {
        let seed = [7u8; 32];
        let did = did_key_from_seed(&seed);
        assert!(did.starts_with("did:key:z6Mk"));
        assert_eq!(
            public_key_from_did_key(&did).unwrap(),
            public_key_from_seed(&seed)
        );
        let vm = verification_method(&did).unwrap();
        assert_eq!(
            public_key_from_did_key(&vm).unwrap(),
            public_key_from_seed(&seed)
        );
        assert_eq!(did_of(&vm), did);
    }

    #[test]
    fn non_ed25519_did_key_is_rejected() {
        // An X25519 did:key (multicodec 0xec).
        let err =
            public_key_from_did_key("did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW");
        assert!(matches!(err, Err(CredentialError::InvalidDidKey(_))));
        assert!(public_key_from_did_key("did:web:example.org").is_err());
    }
}
