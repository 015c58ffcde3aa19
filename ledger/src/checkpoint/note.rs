//! Signed notes (C2SP `signed-note`) and their Ed25519 keys.
//!
//! Two signature types are supported, and only these two:
//!
//! * [`KeyType::Ed25519`] (type byte `0x01`): a plain Ed25519 signature over
//!   the note text;
//! * [`KeyType::Cosignature`] (type byte `0x04`): a timestamped Ed25519
//!   `cosignature/v1` (C2SP `tlog-cosignature`), signing
//!   `"cosignature/v1\ntime <T>\n" || text`.
//!
//! Parsing is strict: anything this module accepts it formats back to the
//! same bytes. `specs/checkpoints.md` gives the exact rules.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::CheckpointError;

/// Largest note (text, blank line and signature lines) accepted, in bytes.
pub const MAX_NOTE_BYTES: usize = 128 * 1024;

/// Largest number of signature lines accepted in one note.
pub const MAX_SIGNATURES: usize = 100;

/// Start of every signature line: an em dash (U+2014) and a space.
pub const SIGNATURE_LINE_PREFIX: &str = "\u{2014} ";

/// Largest cosignature timestamp allowed (2^63 - 1 seconds).
pub const MAX_COSIGNATURE_TIMESTAMP: u64 = i64::MAX as u64;

/// First line of the message signed by a `cosignature/v1`.
const COSIGNATURE_HEADER: &str = "cosignature/v1\n";

/// Prefix of an encoded signer (private) key.
const PRIVATE_KEY_PREFIX: &str = "PRIVATE+KEY+";

/// Length of an Ed25519 signature.
const ED25519_SIGNATURE_LEN: usize = 64;

/// Length of a `cosignature/v1` signature: timestamp and Ed25519 signature.
const COSIGNATURE_LEN: usize = 8 + ED25519_SIGNATURE_LEN;

/// The signature type of a note key; its byte enters the key id and the
/// encoded keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Ed25519 signature over the note text (type byte `0x01`).
    Ed25519,
    /// Timestamped Ed25519 `cosignature/v1` over a checkpoint (type byte `0x04`).
    Cosignature,
}

impl KeyType {
    /// The signature type byte.
    pub const fn byte(self) -> u8 {
        match self {
            KeyType::Ed25519 => 0x01,
            KeyType::Cosignature => 0x04,
        }
    }

    /// The key type for a signature type byte.
    pub fn from_byte(byte: u8) -> Result<Self, CheckpointError> {
        match byte {
            0x01 => Ok(KeyType::Ed25519),
            0x04 => Ok(KeyType::Cosignature),
            other => Err(CheckpointError::UnsupportedKeyType(other)),
        }
    }
}

/// Computes a key id: the first four bytes, big-endian, of
/// `SHA-256(name || 0x0A || type byte || public key)`.
pub fn key_id(name: &str, key_type: KeyType, public_key: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', key_type.byte()]);
    hasher.update(public_key);
    let digest: [u8; 32] = hasher.finalize().into();
    let [a, b, c, d, ..] = digest;
    u32::from_be_bytes([a, b, c, d])
}

/// Checks a key name: non-empty, no Unicode white space, no `+`, no
/// control character.
pub fn check_key_name(name: &str) -> Result<(), CheckpointError> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c == '+' || c.is_whitespace() || c.is_control())
    {
        return Err(CheckpointError::MalformedKeyName);
    }
    Ok(())
}

/// Checks a note text: non-empty, ends in a newline, no control character
/// other than newline, and small enough to be signed.
fn check_text(text: &str) -> Result<(), CheckpointError> {
    if text.len() > MAX_NOTE_BYTES {
        return Err(CheckpointError::TooLarge {
            size: text.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    if !text.ends_with('\n') {
        return Err(CheckpointError::MalformedText);
    }
    check_control_characters(text)
}

/// Rejects any character below U+0020 other than newline.
fn check_control_characters(s: &str) -> Result<(), CheckpointError> {
    match s.bytes().position(|b| b < 0x20 && b != b'\n') {
        Some(offset) => Err(CheckpointError::MalformedControlCharacter { offset }),
        None => Ok(()),
    }
}

/// Parses the 8 lowercase hex digits of a key id.
fn parse_key_id_hex(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Splits `name+hexid+base64(type||key)` and checks name, id and type;
/// returns (name, key id, key type, 32 key bytes). Form errors become
/// `malformed`.
fn parse_key_parts(
    s: &str,
    malformed: CheckpointError,
) -> Result<(String, u32, KeyType, [u8; 32]), CheckpointError> {
    if s.len() > 1024 {
        return Err(malformed);
    }
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(id), Some(material)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(malformed);
    };
    check_key_name(name)?;
    let id = parse_key_id_hex(id).ok_or(malformed.clone())?;
    let material = STANDARD.decode(material).map_err(|_| malformed.clone())?;
    let (&type_byte, key) = material.split_first().ok_or(malformed.clone())?;
    let key_type = KeyType::from_byte(type_byte)?;
    let key: [u8; 32] = key.try_into().map_err(|_| malformed)?;
    Ok((name.to_owned(), id, key_type, key))
}

/// One signature line of a note: key name, key id and signature bytes
/// (without the key id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key id (first four bytes of the decoded signature, big-endian).
    pub key_id: u32,
    /// Signature bytes after the key id (64 for Ed25519, 72 for a cosignature).
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// Formats the signature line, `— <name> <base64(key id || signature)>\n`.
    pub fn to_line(&self) -> String {
        let mut raw = Vec::with_capacity(4 + self.signature.len());
        raw.extend_from_slice(&self.key_id.to_be_bytes());
        raw.extend_from_slice(&self.signature);
        format!(
            "{SIGNATURE_LINE_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(raw)
        )
    }

    /// Parses one signature line given without its final newline.
    pub fn parse_line(line: &str) -> Result<Self, CheckpointError> {
        Self::parse_line_numbered(line, 1)
    }

    /// Parses one signature line; `number` (1-based) goes into errors.
    fn parse_line_numbered(line: &str, number: usize) -> Result<Self, CheckpointError> {
        let malformed = CheckpointError::MalformedSignatureLine { line: number };
        let rest = line
            .strip_prefix(SIGNATURE_LINE_PREFIX)
            .ok_or(malformed.clone())?;
        let (name, b64) = rest.split_once(' ').ok_or(malformed.clone())?;
        check_key_name(name)?;
        let raw = STANDARD.decode(b64).map_err(|_| malformed.clone())?;
        let Some((id, signature)) = raw.split_first_chunk::<4>() else {
            return Err(malformed);
        };
        if signature.is_empty() {
            return Err(malformed);
        }
        Ok(NoteSignature {
            name: name.to_owned(),
            key_id: u32::from_be_bytes(*id),
            signature: signature.to_vec(),
        })
    }
}

/// Parses a block of signature lines, each ending in a newline (for
/// instance a witness's `add-checkpoint` response).
pub fn parse_signature_lines(block: &str) -> Result<Vec<NoteSignature>, CheckpointError> {
    if block.len() > MAX_NOTE_BYTES {
        return Err(CheckpointError::TooLarge {
            size: block.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    check_control_characters(block)?;
    if block.is_empty() {
        return Err(CheckpointError::MissingSignatures);
    }
    let body = block
        .strip_suffix('\n')
        .ok_or(CheckpointError::MalformedSignatureLine {
            line: block.split('\n').count(),
        })?;
    if body.split('\n').count() > MAX_SIGNATURES {
        return Err(CheckpointError::TooManySignatures {
            max: MAX_SIGNATURES,
        });
    }
    body.split('\n')
        .enumerate()
        .map(|(i, line)| NoteSignature::parse_line_numbered(line, i + 1))
        .collect()
}

/// A signature that verified with one of the caller's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// Index of the key in the slice given to `verify`.
    pub key_index: usize,
    /// Key name.
    pub name: String,
    /// Key id.
    pub key_id: u32,
    /// Signature type of the key.
    pub key_type: KeyType,
    /// Cosignature timestamp (POSIX seconds); `None` for a plain Ed25519 signature.
    pub timestamp: Option<u64>,
}

/// A public note key: name, key id, type and Ed25519 public key.
///
/// Encoded (`Display`/`FromStr`) as `<name>+<hex key id>+<base64(type || key)>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    key_type: KeyType,
    public_key: VerifyingKey,
}

impl VerifierKey {
    /// Builds a verifier key, computing its key id.
    pub fn new(
        name: &str,
        key_type: KeyType,
        public_key: [u8; 32],
    ) -> Result<Self, CheckpointError> {
        check_key_name(name)?;
        let verifying =
            VerifyingKey::from_bytes(&public_key).map_err(|_| CheckpointError::InvalidPublicKey)?;
        if verifying.is_weak() {
            return Err(CheckpointError::InvalidPublicKey);
        }
        Ok(VerifierKey {
            name: name.to_owned(),
            key_id: key_id(name, key_type, &public_key),
            key_type,
            public_key: verifying,
        })
    }

    /// Parses `<name>+<hex key id>+<base64(type || key)>`.
    pub fn parse(s: &str) -> Result<Self, CheckpointError> {
        let (name, id, key_type, key) = parse_key_parts(s, CheckpointError::MalformedVerifierKey)?;
        let parsed = Self::new(&name, key_type, key)?;
        if parsed.key_id != id {
            return Err(CheckpointError::KeyIdMismatch {
                encoded: id,
                computed: parsed.key_id,
            });
        }
        Ok(parsed)
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// Signature type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.public_key.to_bytes()
    }

    /// Whether a signature line names this key (same name and key id).
    pub fn matches(&self, signature: &NoteSignature) -> bool {
        signature.name == self.name && signature.key_id == self.key_id
    }

    /// Verifies one signature by this key over `text` (strict Ed25519);
    /// returns the cosignature timestamp, if any. The caller checks
    /// [`VerifierKey::matches`] first.
    pub fn verify(
        &self,
        text: &str,
        signature: &NoteSignature,
    ) -> Result<Option<u64>, CheckpointError> {
        let bad = || CheckpointError::BadSignature {
            name: signature.name.clone(),
            key_id: signature.key_id,
        };
        match self.key_type {
            KeyType::Ed25519 => {
                let sig: [u8; ED25519_SIGNATURE_LEN] = signature
                    .signature
                    .as_slice()
                    .try_into()
                    .map_err(|_| bad())?;
                self.public_key
                    .verify_strict(text.as_bytes(), &Signature::from_bytes(&sig))
                    .map_err(|_| bad())?;
                Ok(None)
            }
            KeyType::Cosignature => {
                let raw: [u8; COSIGNATURE_LEN] = signature
                    .signature
                    .as_slice()
                    .try_into()
                    .map_err(|_| bad())?;
                let (ts, sig) = raw.split_at(8);
                let mut ts_bytes = [0u8; 8];
                ts_bytes.copy_from_slice(ts);
                let timestamp = u64::from_be_bytes(ts_bytes);
                if timestamp > MAX_COSIGNATURE_TIMESTAMP {
                    return Err(CheckpointError::TimestampOutOfRange(timestamp));
                }
                let mut sig_bytes = [0u8; ED25519_SIGNATURE_LEN];
                sig_bytes.copy_from_slice(sig);
                self.public_key
                    .verify_strict(
                        &cosignature_message(text, timestamp),
                        &Signature::from_bytes(&sig_bytes),
                    )
                    .map_err(|_| bad())?;
                Ok(Some(timestamp))
            }
        }
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut material = Vec::with_capacity(33);
        material.push(self.key_type.byte());
        material.extend_from_slice(self.public_key.as_bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.key_id,
            STANDARD.encode(material)
        )
    }
}

impl FromStr for VerifierKey {
    type Err = CheckpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
impl VerifierKey {
    /// Test helper: the same key under another key id (to build collisions).
    pub(crate) fn with_key_id(mut self, key_id: u32) -> Self {
        self.key_id = key_id;
        self
    }
}

/// The message signed by a `cosignature/v1`: header line, time line, text.
pub fn cosignature_message(text: &str, timestamp: u64) -> Vec<u8> {
    format!("{COSIGNATURE_HEADER}time {timestamp}\n{text}").into_bytes()
}

/// A private note key: name, key id, type and Ed25519 seed.
///
/// Encoded as `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>` by
/// [`SignerKey::to_encoded`]; `Debug` never shows the seed.
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    key_id: u32,
    key_type: KeyType,
    signing_key: SigningKey,
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerKey")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .field("key_type", &self.key_type)
            .finish_non_exhaustive()
    }
}

impl SignerKey {
    /// Builds a signer key from a 32-byte Ed25519 seed (RFC 8032 secret key).
    pub fn from_seed(
        name: &str,
        key_type: KeyType,
        seed: [u8; 32],
    ) -> Result<Self, CheckpointError> {
        check_key_name(name)?;
        let signing_key = SigningKey::from_bytes(&seed);
        let key_id = key_id(name, key_type, signing_key.verifying_key().as_bytes());
        Ok(SignerKey {
            name: name.to_owned(),
            key_id,
            key_type,
            signing_key,
        })
    }

    /// Generates a fresh key from a cryptographic random number generator.
    pub fn generate<R>(name: &str, key_type: KeyType, rng: &mut R) -> Result<Self, CheckpointError>
    where
        R: ed25519_dalek::rand_core::CryptoRng + ?Sized,
    {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let key = Self::from_seed(name, key_type, seed);
        seed.fill(0);
        key
    }

    /// Parses `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>`.
    pub fn parse(s: &str) -> Result<Self, CheckpointError> {
        let rest = s
            .strip_prefix(PRIVATE_KEY_PREFIX)
            .ok_or(CheckpointError::MalformedSignerKey)?;
        let (name, id, key_type, seed) =
            parse_key_parts(rest, CheckpointError::MalformedSignerKey)?;
        let parsed = Self::from_seed(&name, key_type, seed)?;
        if parsed.key_id != id {
            return Err(CheckpointError::KeyIdMismatch {
                encoded: id,
                computed: parsed.key_id,
            });
        }
        Ok(parsed)
    }

    /// Encodes the key, seed included: keep the result secret.
    pub fn to_encoded(&self) -> String {
        let mut material = Vec::with_capacity(33);
        material.push(self.key_type.byte());
        material.extend_from_slice(self.signing_key.as_bytes());
        let encoded = format!(
            "{PRIVATE_KEY_PREFIX}{}+{:08x}+{}",
            self.name,
            self.key_id,
            STANDARD.encode(&material)
        );
        material.fill(0);
        encoded
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// Signature type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The matching public key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_id: self.key_id,
            key_type: self.key_type,
            public_key: self.signing_key.verifying_key(),
        }
    }

    /// Signs a note text with an [`KeyType::Ed25519`] key.
    pub fn sign_text(&self, text: &str) -> Result<NoteSignature, CheckpointError> {
        self.expect_type(KeyType::Ed25519)?;
        check_text(text)?;
        let sig = self.signing_key.sign(text.as_bytes());
        Ok(self.signature_line(sig.to_bytes().to_vec()))
    }

    /// Cosigns a checkpoint text at `timestamp` (POSIX seconds) with a
    /// [`KeyType::Cosignature`] key.
    pub fn cosign_text(
        &self,
        text: &str,
        timestamp: u64,
    ) -> Result<NoteSignature, CheckpointError> {
        self.expect_type(KeyType::Cosignature)?;
        check_text(text)?;
        if timestamp > MAX_COSIGNATURE_TIMESTAMP {
            return Err(CheckpointError::TimestampOutOfRange(timestamp));
        }
        let sig = self.signing_key.sign(&cosignature_message(text, timestamp));
        let mut bytes = Vec::with_capacity(COSIGNATURE_LEN);
        bytes.extend_from_slice(&timestamp.to_be_bytes());
        bytes.extend_from_slice(&sig.to_bytes());
        Ok(self.signature_line(bytes))
    }

    fn expect_type(&self, expected: KeyType) -> Result<(), CheckpointError> {
        if self.key_type == expected {
            Ok(())
        } else {
            Err(CheckpointError::WrongKeyType {
                expected,
                found: self.key_type,
            })
        }
    }

    fn signature_line(&self, signature: Vec<u8>) -> NoteSignature {
        NoteSignature {
            name: self.name.clone(),
            key_id: self.key_id,
            signature,
        }
    }
}

/// A signed note: a text ending in newline and its signature lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

impl Note {
    /// Starts an unsigned note; the text must be non-empty, end in a newline
    /// and hold no control character other than newline.
    pub fn new(text: impl Into<String>) -> Result<Self, CheckpointError> {
        let text = text.into();
        check_text(&text)?;
        Ok(Note {
            text,
            signatures: Vec::new(),
        })
    }

    /// Parses a signed note; does not verify any signature.
    pub fn parse(bytes: &[u8]) -> Result<Self, CheckpointError> {
        if bytes.len() > MAX_NOTE_BYTES {
            return Err(CheckpointError::TooLarge {
                size: bytes.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        let s = std::str::from_utf8(bytes).map_err(|_| CheckpointError::MalformedEncoding)?;
        check_control_characters(s)?;
        let split = s.rfind("\n\n").ok_or(CheckpointError::MissingSignatures)?;
        // `split` is the byte index of an ASCII newline, so both halves
        // start on character boundaries.
        let (text, block) = s.split_at(split + 1);
        let block = block.strip_prefix('\n').unwrap_or(block);
        let signatures = parse_signature_lines(block)?;
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// The note text, final newline included.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The signature lines, in order.
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Appends a signature line, keeping the note within the size and count limits.
    pub fn push_signature(&mut self, signature: NoteSignature) -> Result<(), CheckpointError> {
        check_key_name(&signature.name)?;
        if signature.signature.is_empty() {
            return Err(CheckpointError::MalformedSignatureLine {
                line: self.signatures.len() + 1,
            });
        }
        if self.signatures.len() >= MAX_SIGNATURES {
            return Err(CheckpointError::TooManySignatures {
                max: MAX_SIGNATURES,
            });
        }
        let size = self.encoded_len()
            + usize::from(self.signatures.is_empty())
            + signature.to_line().len();
        if size > MAX_NOTE_BYTES {
            return Err(CheckpointError::TooLarge {
                size,
                max: MAX_NOTE_BYTES,
            });
        }
        self.signatures.push(signature);
        Ok(())
    }

    /// Signs the text with an Ed25519 note key and appends the signature.
    pub fn sign(&mut self, key: &SignerKey) -> Result<NoteSignature, CheckpointError> {
        let signature = key.sign_text(&self.text)?;
        self.push_signature(signature.clone())?;
        Ok(signature)
    }

    /// Cosigns the text at `timestamp` with a cosignature key and appends
    /// the signature.
    pub fn cosign(
        &mut self,
        key: &SignerKey,
        timestamp: u64,
    ) -> Result<NoteSignature, CheckpointError> {
        let signature = key.cosign_text(&self.text, timestamp)?;
        self.push_signature(signature.clone())?;
        Ok(signature)
    }

    /// Verifies the note against known keys.
    ///
    /// Lines whose (name, key id) match no known key are ignored. Every line
    /// that matches a known key must verify, else [`CheckpointError::BadSignature`].
    /// At least one must, else [`CheckpointError::UnknownKey`]. Each key is
    /// reported once, at its first line.
    pub fn verify(&self, keys: &[VerifierKey]) -> Result<Vec<VerifiedSignature>, CheckpointError> {
        let mut verified: Vec<VerifiedSignature> = Vec::new();
        for signature in &self.signatures {
            let mut candidates = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| k.matches(signature));
            let Some((key_index, key)) = candidates.next() else {
                continue;
            };
            if candidates.any(|(_, other)| other != key) {
                return Err(CheckpointError::AmbiguousKey {
                    name: signature.name.clone(),
                    key_id: signature.key_id,
                });
            }
            let timestamp = key.verify(&self.text, signature)?;
            if !verified
                .iter()
                .any(|v| v.name == signature.name && v.key_id == signature.key_id)
            {
                verified.push(VerifiedSignature {
                    key_index,
                    name: key.name.clone(),
                    key_id: key.key_id,
                    key_type: key.key_type,
                    timestamp,
                });
            }
        }
        if verified.is_empty() {
            return Err(CheckpointError::UnknownKey);
        }
        Ok(verified)
    }

    /// Length of [`Note::to_bytes`].
    fn encoded_len(&self) -> usize {
        let sigs: usize = self.signatures.iter().map(|s| s.to_line().len()).sum();
        self.text.len() + usize::from(!self.signatures.is_empty()) + sigs
    }

    /// Formats the note: text, blank line, signature lines. A note with no
    /// signature formats as its bare text, which [`Note::parse`] rejects.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if !self.signatures.is_empty() {
            f.write_str("\n")?;
        }
        for signature in &self.signatures {
            f.write_str(&signature.to_line())?;
        }
        Ok(())
    }
}
