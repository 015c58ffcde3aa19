//! Ed25519 keys and signatures, with one acceptance rule everywhere.
//!
//! The rule is ed25519-dalek's *strict* verification: `S` canonical (< L),
//! `R` not of small order and equal, as an encoding, to the recomputed
//! `[S]B - [H(R||A||M)]A` (so `R` must be canonical), and `A` not of small
//! order. dalek does not itself require `A`'s encoding to be canonical or
//! `A` to be torsion-free: the ledger requires both when a key is
//! registered (genesis, accreditation, recovery, rotation; see
//! [`check_public_key`]), and only registered keys may sign entries.
//!
//! A [`BatchVerifier`] checks many signatures at once and returns exactly
//! what [`verify_strict`] returns for each. The core's own is
//! [`SequentialVerifier`] (one after the other, on the calling thread: the
//! core spawns no threads); with the `parallel` feature (on by default, and
//! on with `sled`), `verify_many` and `ParallelVerifier` spread the same
//! checks over all cores. Neither uses the batch equation of
//! `ed25519_dalek::verify_batch`: that equation
//! use the batch equation of `ed25519_dalek::verify_batch`: that equation
//! alone accepts signatures whose `R` has a small-order component, which
//! strict verification refuses, and a malicious key holder can make such a
//! signature pass in one batch and fail in another, splitting replicas.
//! Closing that gap needs, per signature, the checks strict verification
//! makes before its equation (decoding `R` and `A`, canonical encodings,
//! small order: about 14 us here) plus a torsion check of `R` (a full scalar
//! multiplication, about 28 us); with the batch equation's 13.6 us that is
//! about 56 us per signature against about 45 us for strict verification
//! (`cargo bench -p ledger`, section 1b).

use crate::types::{sha256, Hash32, PublicKeyBytes, SignatureBytes};
use curve25519_dalek::edwards::CompressedEdwardsY;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Domain-separation prefix of every ledger entry signature.
pub const ENTRY_DOMAIN: &[u8] = b"nansen/entry/v1\0";
/// Domain-separation prefix of key commitments (pre-rotation).
pub const KEY_COMMITMENT_DOMAIN: &[u8] = b"nansen/key-commitment/v1\0";

/// Why a public key is not acceptable on the ledger.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The 32 bytes are not the encoding of a curve point.
    #[error("public key is not a valid Ed25519 point")]
    NotAPoint,
    /// The point's encoding is not canonical.
    #[error("public key encoding is not canonical")]
    NonCanonical,
    /// The point has small order (a weak key).
    #[error("public key has small order")]
    SmallOrder,
    /// The point has a torsion component.
    #[error("public key is not in the prime-order subgroup")]
    Torsion,
}

impl KeyError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::NotAPoint => "not_a_point",
            KeyError::NonCanonical => "non_canonical",
            KeyError::SmallOrder => "small_order",
            KeyError::Torsion => "torsion",
        }
    }
}

/// Why a signature was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The key is not acceptable.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The signature does not verify under strict rules.
    #[error("signature does not verify")]
    Invalid,
}

impl SignatureError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Key(..) => "key",
            SignatureError::Invalid => "invalid",
        }
    }
}

/// Checks that `key` is a canonical, torsion-free, non-small-order point and
/// returns the dalek key.
pub fn check_public_key(key: &PublicKeyBytes) -> Result<VerifyingKey, KeyError> {
    let point = CompressedEdwardsY(key.0)
        .decompress()
        .ok_or(KeyError::NotAPoint)?;
    if point.compress().to_bytes() != key.0 {
        return Err(KeyError::NonCanonical);
    }
    if point.is_small_order() {
        return Err(KeyError::SmallOrder);
    }
    if !point.is_torsion_free() {
        return Err(KeyError::Torsion);
    }
    VerifyingKey::from_bytes(&key.0).map_err(|_| KeyError::NotAPoint)
}

/// The commitment to a future key (pre-rotation): SHA-256 of
/// [`KEY_COMMITMENT_DOMAIN`] followed by the key.
pub fn key_commitment(key: &PublicKeyBytes) -> Hash32 {
    let mut data = Vec::with_capacity(KEY_COMMITMENT_DOMAIN.len() + 32);
    data.extend_from_slice(KEY_COMMITMENT_DOMAIN);
    data.extend_from_slice(&key.0);
    sha256(&data)
}

/// An Ed25519 signing key held in memory.
pub struct KeyPair {
    signing: SigningKey,
}

impl KeyPair {
    /// A new random key from the operating system's generator (feature
    /// `os-rng`, on by default).
    #[cfg(feature = "os-rng")]
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)?;
        Ok(Self::from_seed(&seed))
    }
    /// The key whose 32-byte secret seed is `seed` (RFC 8032).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(seed),
        }
    }
    /// The secret seed. Handle with care.
    pub fn seed(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }
    /// The public key.
    pub fn public(&self) -> PublicKeyBytes {
        PublicKeyBytes(self.signing.verifying_key().to_bytes())
    }
    /// Signs `message` as is (no prefix).
    pub fn sign_raw(&self, message: &[u8]) -> SignatureBytes {
        SignatureBytes(self.signing.sign(message).to_bytes())
    }
    /// Signs `domain || message`.
    pub fn sign(&self, domain: &[u8], message: &[u8]) -> SignatureBytes {
        self.sign_raw(&prefixed(domain, message))
    }
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyPair({})", self.public())
    }
}

fn prefixed(domain: &[u8], message: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(domain.len() + message.len());
    data.extend_from_slice(domain);
    data.extend_from_slice(message);
    data
}

/// Strictly verifies a signature over `message` as is (no prefix).
pub fn verify_strict_raw(
    key: &PublicKeyBytes,
    message: &[u8],
    signature: &SignatureBytes,
) -> Result<(), SignatureError> {
    let verifying = VerifyingKey::from_bytes(&key.0).map_err(|_| KeyError::NotAPoint)?;
    verifying
        .verify_strict(message, &Signature::from_bytes(&signature.0))
        .map_err(|_| SignatureError::Invalid)
}

/// Strictly verifies a signature over `domain || message`.
pub fn verify_strict(
    key: &PublicKeyBytes,
    domain: &[u8],
    message: &[u8],
    signature: &SignatureBytes,
) -> Result<(), SignatureError> {
    verify_strict_raw(key, &prefixed(domain, message), signature)
}

/// One signature to check in a [`BatchVerifier`].
#[derive(Clone, Debug)]
pub struct SignatureCheck<'a> {
    /// The key, already accepted by [`check_public_key`] when registered.
    pub key: PublicKeyBytes,
    /// The domain-separation prefix.
    pub domain: &'static [u8],
    /// The message after the prefix.
    pub message: &'a [u8],
    /// The signature.
    pub signature: SignatureBytes,
}

/// Checks many signatures at once. The contract: exactly one verdict per
/// check, in order, each exactly what [`verify_strict`] would return for it.
/// The ledger engine treats a verdict list of the wrong length as a failure
/// (it then checks every signature again, one by one), but it cannot tell a
/// wrong `true`: a verifier injected into it is trusted with that.
pub trait BatchVerifier: Send + Sync {
    /// One verdict per check, in order.
    fn verify_all(&self, checks: &[SignatureCheck<'_>]) -> Vec<bool>;
}

/// Checks one signature after the other on the calling thread: the core's
/// verifier, and the only one where there are no threads (WebAssembly).
#[derive(Clone, Copy, Debug, Default)]
pub struct SequentialVerifier;

impl BatchVerifier for SequentialVerifier {
    fn verify_all(&self, checks: &[SignatureCheck<'_>]) -> Vec<bool> {
        verify_sequential(checks)
    }
}

/// Checks a batch's signatures on every available core with
/// [`verify_many`] (feature `parallel`): the node's verifier.
#[cfg(feature = "parallel")]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParallelVerifier;

#[cfg(feature = "parallel")]
impl BatchVerifier for ParallelVerifier {
    fn verify_all(&self, checks: &[SignatureCheck<'_>]) -> Vec<bool> {
        verify_many(checks)
    }
}

/// Checks many signatures; returns one verdict per input, in order, each
/// exactly what [`verify_strict`] would return, using every available core
/// (feature `parallel`).
#[cfg(feature = "parallel")]
pub fn verify_many(checks: &[SignatureCheck<'_>]) -> Vec<bool> {
    const MIN_PER_THREAD: usize = 64;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .max(1);
    if checks.len() < 2 * MIN_PER_THREAD || threads == 1 {
        return verify_sequential(checks);
    }
    let per_thread = checks.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = checks
            .chunks(per_thread)
            .map(|part| (part.len(), scope.spawn(move || verify_sequential(part))))
            .collect();
        // A thread that died yields "invalid" for each of its checks, never
        // a shorter list.
        handles
            .into_iter()
            .flat_map(|(len, h)| h.join().unwrap_or_else(|_| vec![false; len]))
            .collect()
    })
}

/// Strictly verifies each check on the calling thread; returns one verdict
/// per check, in order, each exactly what [`verify_strict`] would return.
/// Each distinct key is decompressed once (a batch usually holds many
/// entries of few authors; decompressing a key costs about a quarter of a
/// verification).
pub fn verify_sequential(checks: &[SignatureCheck<'_>]) -> Vec<bool> {
    let mut keys: std::collections::HashMap<PublicKeyBytes, Option<VerifyingKey>> =
        std::collections::HashMap::new();
    let mut message = Vec::new();
    checks
        .iter()
        .map(|check| {
            let key = keys
                .entry(check.key)
                .or_insert_with(|| VerifyingKey::from_bytes(&check.key.0).ok());
            let Some(key) = key else {
                return false;
            };
            message.clear();
            message.extend_from_slice(check.domain);
            message.extend_from_slice(check.message);
            key.verify_strict(&message, &Signature::from_bytes(&check.signature.0))
                .is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_with_domain() {
        let key = KeyPair::from_seed(&[7; 32]);
        let sig = key.sign(ENTRY_DOMAIN, b"hello");
        assert_eq!(
            verify_strict(&key.public(), ENTRY_DOMAIN, b"hello", &sig),
            Ok(())
        );
        assert_eq!(
            verify_strict(&key.public(), ENTRY_DOMAIN, b"hellO", &sig),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify_strict(&key.public(), KEY_COMMITMENT_DOMAIN, b"hello", &sig),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn batch_verifiers_match_single_verification() {
        let keys: Vec<KeyPair> = (0..5u8).map(|i| KeyPair::from_seed(&[i; 32])).collect();
        let messages: Vec<Vec<u8>> = (0..700u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let mut checks: Vec<SignatureCheck<'_>> = messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let k = &keys[i % keys.len()];
                SignatureCheck {
                    key: k.public(),
                    domain: ENTRY_DOMAIN,
                    message: m,
                    signature: k.sign(ENTRY_DOMAIN, m),
                }
            })
            .collect();
        #[allow(unused_mut)]
        let mut verifiers: Vec<Box<dyn BatchVerifier>> = vec![Box::new(SequentialVerifier)];
        #[cfg(feature = "parallel")]
        verifiers.push(Box::new(ParallelVerifier));
        for verifier in &verifiers {
            assert!(verifier.verify_all(&checks).iter().all(|ok| *ok));
        }
        checks[3].signature.0[0] ^= 1;
        checks[600].signature.0[40] ^= 1;
        for verifier in &verifiers {
            let verdicts = verifier.verify_all(&checks);
            assert_eq!(verdicts.len(), checks.len());
            for (i, v) in verdicts.iter().enumerate() {
                let alone = verify_strict(
                    &checks[i].key,
                    checks[i].domain,
                    checks[i].message,
                    &checks[i].signature,
                )
                .is_ok();
                assert_eq!(*v, alone, "index {i}");
                assert_eq!(*v, i != 3 && i != 600, "index {i}");
            }
        }
    }

    #[test]
    fn small_order_and_non_canonical_keys_are_refused() {
        // The identity point (small order).
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            check_public_key(&PublicKeyBytes(identity)),
            Err(KeyError::SmallOrder)
        );
        // y = p + 1 is a non-canonical encoding of y = 1.
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xee;
        non_canonical[31] = 0x7f;
        assert!(check_public_key(&PublicKeyBytes(non_canonical)).is_err());
        let good = KeyPair::from_seed(&[1; 32]).public();
        assert!(check_public_key(&good).is_ok());
    }
}
