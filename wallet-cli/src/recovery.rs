//! The holder's recovery phrase and the key derived from it.
//!
//! `init` draws 32 bytes of entropy and shows them once as a 24-word BIP39 English phrase. The
//! holder's Ed25519 seed is
//!
//! ```text
//! holder_seed = SHA-256( "nansen/holder/v1" ‖ BIP39-seed(phrase, passphrase = "") )
//! ```
//!
//! where BIP39-seed is the 64-byte PBKDF2-HMAC-SHA512 seed of BIP39 (2048 rounds, salt
//! `"mnemonic"`). The holder's did:key follows from the seed (see `did`). `recover` recomputes
//! the same seed from the phrase.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Domain label of the holder seed derivation.
pub const HOLDER_SEED_LABEL: &[u8] = b"nansen/holder/v1";

/// Errors of the recovery phrase.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Not a valid 24-word BIP39 English phrase (unknown word, bad checksum, wrong length).
    #[error("invalid recovery phrase: {0}")]
    InvalidPhrase(String),
    /// The random source failed.
    #[error("random source failed")]
    Randomness,
}

/// A fresh 24-word phrase.
pub fn new_phrase() -> Result<Zeroizing<String>, RecoveryError> {
    let mut entropy = Zeroizing::new([0u8; 32]);
    getrandom::fill(entropy.as_mut()).map_err(|_| RecoveryError::Randomness)?;
    let m = bip39::Mnemonic::from_entropy(entropy.as_ref())
        .map_err(|e| RecoveryError::InvalidPhrase(e.to_string()))?;
    Ok(Zeroizing::new(m.to_string()))
}

/// The holder seed of a phrase (words separated by any whitespace, case-insensitive).
pub fn holder_seed_from_phrase(phrase: &str) -> Result<Zeroizing<[u8; 32]>, RecoveryError> {
    let normalized = Zeroizing::new(
        phrase
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" "),
    );
    let m = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalized)
        .map_err(|e| RecoveryError::InvalidPhrase(e.to_string()))?;
    if m.word_count() != 24 {
        return Err(RecoveryError::InvalidPhrase(format!(
            "{} words, expected 24",
            m.word_count()
        )));
    }
    let bip39_seed = Zeroizing::new(m.to_seed(""));
    let mut h = Sha256::new();
    h.update(HOLDER_SEED_LABEL);
    h.update(bip39_seed.as_ref());
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&h.finalize());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_round_trip_and_normalization() {
        let p = new_phrase().unwrap();
        assert_eq!(p.split(' ').count(), 24);
        let a = holder_seed_from_phrase(&p).unwrap();
        let shouted = format!("  {}\n", p.to_uppercase().replace(' ', "   "));
        assert_eq!(*a, *holder_seed_from_phrase(&shouted).unwrap());
    }

    #[test]
    fn fixed_vector() {
        // BIP39 all-zero entropy, 24 words.
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                      abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                      abandon abandon abandon abandon abandon art";
        let seed = holder_seed_from_phrase(phrase).unwrap();
        let again = holder_seed_from_phrase(phrase).unwrap();
        assert_eq!(*seed, *again);
        assert!(holder_seed_from_phrase("abandon abandon").is_err());
        let bad_checksum = phrase.replace(" art", " abandon");
        assert!(holder_seed_from_phrase(&bad_checksum).is_err());
    }
}
