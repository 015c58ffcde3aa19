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
//!
//! A phrase as the holder gives it back ([`normalize`]) is its words in order, separated by any
//! whitespace (spaces, or one word per line as on the recovery sheet), in any case; a number
//! with a full stop before a word (`9.`, as the sheet numbers them) is skipped. Errors number
//! the words from 1, as the sheet does.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Domain label of the holder seed derivation.
pub const HOLDER_SEED_LABEL: &[u8] = b"nansen/holder/v1";

/// The number of words of a phrase.
pub const WORDS: usize = 24;

/// Errors of the recovery phrase.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Not 24 words.
    #[error("invalid recovery phrase: {0} words, expected 24")]
    WordCount(usize),
    /// A word is not in the BIP39 English word list (position from 1; the word itself is not
    /// repeated, it is part of a secret).
    #[error(
        "invalid recovery phrase: word {0} is not in the word list (check its spelling on the \
         sheet)"
    )]
    UnknownWord(usize),
    /// Every word is known but the last one's checksum does not match: a word is wrong, or
    /// two are swapped.
    #[error(
        "invalid recovery phrase: the words do not fit together (checksum): a word is wrong or \
         two are in the wrong order"
    )]
    BadChecksum,
    /// Another BIP39 error (not expected for 24 English words).
    #[error("invalid recovery phrase: {0}")]
    InvalidPhrase(String),
    /// The random source failed.
    #[error("random source failed")]
    Randomness,
}

/// The phrase in its one written form: the words, lower-case, separated by single spaces;
/// whitespace of any kind separates words and sheet numbers (`1.` to `24.`) are skipped.
pub fn normalize(text: &str) -> Zeroizing<String> {
    Zeroizing::new(
        words(text)
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The words of a phrase as typed: whitespace-separated tokens that are not sheet numbers.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter(|t| !is_sheet_number(t))
}

/// `1.` ... `24.` as the recovery sheet numbers its words.
fn is_sheet_number(token: &str) -> bool {
    token
        .strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A fresh 24-word phrase.
pub fn new_phrase() -> Result<Zeroizing<String>, RecoveryError> {
    let mut entropy = Zeroizing::new([0u8; 32]);
    getrandom::fill(entropy.as_mut()).map_err(|_| RecoveryError::Randomness)?;
    let m = bip39::Mnemonic::from_entropy(entropy.as_ref())
        .map_err(|e| RecoveryError::InvalidPhrase(e.to_string()))?;
    Ok(Zeroizing::new(m.to_string()))
}

/// The holder seed of a phrase, given as [`normalize`] reads it.
pub fn holder_seed_from_phrase(phrase: &str) -> Result<Zeroizing<[u8; 32]>, RecoveryError> {
    let normalized = normalize(phrase);
    let count = normalized.split(' ').filter(|w| !w.is_empty()).count();
    if count != WORDS {
        return Err(RecoveryError::WordCount(count));
    }
    let m = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalized).map_err(
        |e| match e {
            // bip39 counts words from 0; the sheet and the holder count from 1.
            bip39::Error::UnknownWord(i) => RecoveryError::UnknownWord(i + 1),
            bip39::Error::InvalidChecksum => RecoveryError::BadChecksum,
            bip39::Error::BadWordCount(n) => RecoveryError::WordCount(n),
            other => RecoveryError::InvalidPhrase(other.to_string()),
        },
    )?;
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
        assert!(matches!(
            holder_seed_from_phrase("abandon abandon"),
            Err(RecoveryError::WordCount(2))
        ));
        let bad_checksum = phrase.replace(" art", " abandon");
        assert!(matches!(
            holder_seed_from_phrase(&bad_checksum),
            Err(RecoveryError::BadChecksum)
        ));
    }

    #[test]
    fn a_misspelled_ninth_word_is_word_9() {
        let p = new_phrase().unwrap();
        let mut words: Vec<String> = p.split(' ').map(str::to_owned).collect();
        words[8] = "abandonx".into();
        let e = holder_seed_from_phrase(&words.join(" ")).unwrap_err();
        assert!(matches!(e, RecoveryError::UnknownWord(9)), "{e:?}");
        assert!(e.to_string().contains("word 9 "), "{e}");
    }

    #[test]
    fn one_word_per_line_and_sheet_numbers_read_the_same() {
        let p = new_phrase().unwrap();
        let seed = holder_seed_from_phrase(&p).unwrap();
        let per_line = p.replace(' ', "\n") + "\n";
        assert_eq!(*holder_seed_from_phrase(&per_line).unwrap(), *seed);
        let numbered: String = p
            .split(' ')
            .enumerate()
            .map(|(i, w)| format!("{:>2}. {w}\n", i + 1))
            .collect();
        assert_eq!(*holder_seed_from_phrase(&numbered).unwrap(), *seed);
        assert_eq!(*normalize(&numbered), *p);
    }
}
