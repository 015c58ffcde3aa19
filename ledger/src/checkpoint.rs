//! Checkpoints of a chain's Merkle log as C2SP signed notes, and witness
//! cosignatures on them (C2SP `signed-note`, `tlog-checkpoint`,
//! `tlog-cosignature`, and the `add-checkpoint` request body of
//! `tlog-witness`).
//!
//! A [`Checkpoint`] is the note text (origin, tree size, root hash,
//! optional extension lines); a [`SignedCheckpoint`] adds the signature
//! lines: the author's Ed25519 note signature and the witnesses'
//! `cosignature/v1` lines. Nansen origins read `nansen/<network id hex>/<author>`,
//! but this module treats the origin as an opaque string.
//!
//! The exact formats are written down in `specs/checkpoints.md`.

pub mod note;

pub use note::{
    check_key_name, cosignature_message, key_id, parse_signature_lines, KeyType, Note,
    NoteSignature, SignerKey, VerifiedSignature, VerifierKey, MAX_COSIGNATURE_TIMESTAMP,
    MAX_NOTE_BYTES, MAX_SIGNATURES, SIGNATURE_LINE_PREFIX,
};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Most consistency-proof hashes an `add-checkpoint` request may carry.
pub const MAX_CONSISTENCY_PROOF_HASHES: usize = 63;

/// Everything that can go wrong parsing, signing or verifying notes,
/// keys, checkpoints and cosignatures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The input is larger than the limit.
    #[error("input of {size} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The note is not valid UTF-8.
    #[error("note is not valid UTF-8")]
    MalformedEncoding,
    /// The note holds a control character other than newline.
    #[error("control character at byte {offset}")]
    MalformedControlCharacter {
        /// Byte offset of the character.
        offset: usize,
    },
    /// The note text is empty or does not end in a newline.
    #[error("note text must be non-empty and end in a newline")]
    MalformedText,
    /// No blank line followed by at least one signature line.
    #[error("note has no signature block")]
    MissingSignatures,
    /// A signature line does not read `— <name> <base64>` with at least 5 decoded bytes.
    #[error("signature line {line} is malformed")]
    MalformedSignatureLine {
        /// 1-based number of the line within the signature block.
        line: usize,
    },
    /// More signature lines than [`MAX_SIGNATURES`].
    #[error("more than {max} signatures")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// A key name is empty or holds white space, `+` or a control character.
    #[error("key name is empty or holds white space, '+' or a control character")]
    MalformedKeyName,
    /// A verifier key string is malformed.
    #[error("malformed verifier key")]
    MalformedVerifierKey,
    /// A signer key string is malformed.
    #[error("malformed signer key")]
    MalformedSignerKey,
    /// The key id written in a key string is not the one computed from it.
    #[error("key id {encoded:08x} does not match computed {computed:08x}")]
    KeyIdMismatch {
        /// Key id in the string.
        encoded: u32,
        /// Key id computed from name, type and public key.
        computed: u32,
    },
    /// A key's signature type byte is not `0x01` or `0x04`.
    #[error("unsupported key type 0x{0:02x}")]
    UnsupportedKeyType(u8),
    /// The public key is not a valid, non-weak Ed25519 point.
    #[error("invalid Ed25519 public key")]
    InvalidPublicKey,
    /// A key was used for the other signature type.
    #[error("key of type {found:?} used where {expected:?} is needed")]
    WrongKeyType {
        /// The type the operation needs.
        expected: KeyType,
        /// The key's type.
        found: KeyType,
    },
    /// A cosignature timestamp exceeds 2^63 - 1.
    #[error("cosignature timestamp {0} exceeds 2^63 - 1")]
    TimestampOutOfRange(u64),
    /// Two different known keys share a name and key id.
    #[error("two known keys share name {name} and key id {key_id:08x}")]
    AmbiguousKey {
        /// Key name.
        name: String,
        /// Key id.
        key_id: u32,
    },
    /// No signature line is from a known key.
    #[error("no signature from a known key")]
    UnknownKey,
    /// A signature line from a known key does not verify.
    #[error("bad signature by {name} ({key_id:08x})")]
    BadSignature {
        /// Key name.
        name: String,
        /// Key id.
        key_id: u32,
    },
    /// A checkpoint text has fewer than three lines or does not end in newline.
    #[error("checkpoint text must be at least three lines, each ending in newline")]
    MalformedCheckpoint,
    /// The origin line is empty or holds a control character.
    #[error("checkpoint origin is empty or holds a control character")]
    MalformedOrigin,
    /// A tree size is not decimal without leading zeros, or overflows u64.
    #[error("tree size is not canonical decimal within u64")]
    MalformedTreeSize,
    /// The root hash line is not canonical base64 of 32 bytes.
    #[error("root hash is not canonical base64 of 32 bytes")]
    MalformedRootHash,
    /// An extension line is empty or holds a control character.
    #[error("checkpoint extension line {index} is empty or holds a control character")]
    MalformedExtension {
        /// 0-based index of the extension line.
        index: usize,
    },
    /// The `old <size>` line of an `add-checkpoint` request is malformed.
    #[error("malformed old size line")]
    MalformedOldSize,
    /// The consistency proof lines are malformed or too many.
    #[error("malformed consistency proof line {line}")]
    MalformedConsistencyProof {
        /// 1-based number of the proof line.
        line: usize,
    },
    /// The old size of an `add-checkpoint` request exceeds the checkpoint size.
    #[error("old size {old} exceeds checkpoint size {size}")]
    OldSizeTooLarge {
        /// Old size from the request.
        old: u64,
        /// Size of the submitted checkpoint.
        size: u64,
    },
}

impl CheckpointError {
    /// A stable snake_case code naming the variant, for APIs, logs and
    /// metrics (one per variant, never derived from `Debug` output).
    pub fn code(&self) -> &'static str {
        match self {
            CheckpointError::TooLarge { .. } => "too_large",
            CheckpointError::MalformedEncoding => "malformed_encoding",
            CheckpointError::MalformedControlCharacter { .. } => "malformed_control_character",
            CheckpointError::MalformedText => "malformed_text",
            CheckpointError::MissingSignatures => "missing_signatures",
            CheckpointError::MalformedSignatureLine { .. } => "malformed_signature_line",
            CheckpointError::TooManySignatures { .. } => "too_many_signatures",
            CheckpointError::MalformedKeyName => "malformed_key_name",
            CheckpointError::MalformedVerifierKey => "malformed_verifier_key",
            CheckpointError::MalformedSignerKey => "malformed_signer_key",
            CheckpointError::KeyIdMismatch { .. } => "key_id_mismatch",
            CheckpointError::UnsupportedKeyType(..) => "unsupported_key_type",
            CheckpointError::InvalidPublicKey => "invalid_public_key",
            CheckpointError::WrongKeyType { .. } => "wrong_key_type",
            CheckpointError::TimestampOutOfRange(..) => "timestamp_out_of_range",
            CheckpointError::AmbiguousKey { .. } => "ambiguous_key",
            CheckpointError::UnknownKey => "unknown_key",
            CheckpointError::BadSignature { .. } => "bad_signature",
            CheckpointError::MalformedCheckpoint => "malformed_checkpoint",
            CheckpointError::MalformedOrigin => "malformed_origin",
            CheckpointError::MalformedTreeSize => "malformed_tree_size",
            CheckpointError::MalformedRootHash => "malformed_root_hash",
            CheckpointError::MalformedExtension { .. } => "malformed_extension",
            CheckpointError::MalformedOldSize => "malformed_old_size",
            CheckpointError::MalformedConsistencyProof { .. } => "malformed_consistency_proof",
            CheckpointError::OldSizeTooLarge { .. } => "old_size_too_large",
        }
    }
}

/// Parses a decimal `u64` with no sign and no leading zero (except `0`).
fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// Decodes canonical base64 of exactly 32 bytes.
fn parse_hash(s: &str) -> Option<[u8; 32]> {
    if s.len() != 44 {
        return None;
    }
    STANDARD.decode(s).ok()?.try_into().ok()
}

/// True if `s` is non-empty and has no character below U+0020 (so no newline).
fn is_single_line(s: &str) -> bool {
    !s.is_empty() && !s.bytes().any(|b| b < 0x20)
}

/// The text of a checkpoint: the head of one log at one size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checkpoint {
    /// Log identity; for Nansen `nansen/<network id hex>/<author>`.
    pub origin: String,
    /// Number of leaves in the tree.
    pub size: u64,
    /// RFC 6962 Merkle tree root hash at `size`.
    pub root: [u8; 32],
    /// Optional opaque extension lines (without newlines); Nansen writes none.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// Checks origin and extension lines and the total size.
    pub fn validate(&self) -> Result<(), CheckpointError> {
        if !is_single_line(&self.origin) {
            return Err(CheckpointError::MalformedOrigin);
        }
        if let Some(index) = self.extensions.iter().position(|e| !is_single_line(e)) {
            return Err(CheckpointError::MalformedExtension { index });
        }
        let len = self.render().len();
        if len > MAX_NOTE_BYTES {
            return Err(CheckpointError::TooLarge {
                size: len,
                max: MAX_NOTE_BYTES,
            });
        }
        Ok(())
    }

    /// Formats the note text: origin, size, base64 root, extensions, each
    /// followed by a newline.
    pub fn to_body(&self) -> Result<String, CheckpointError> {
        self.validate()?;
        Ok(self.render())
    }

    /// Formats the note text without checking it.
    fn render(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for extension in &self.extensions {
            body.push_str(extension);
            body.push('\n');
        }
        body
    }

    /// Parses a note text as a checkpoint; rejects anything
    /// [`Checkpoint::to_body`] would not write byte for byte.
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        if text.len() > MAX_NOTE_BYTES {
            return Err(CheckpointError::TooLarge {
                size: text.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MalformedCheckpoint)?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::MalformedCheckpoint);
        };
        if !is_single_line(origin) {
            return Err(CheckpointError::MalformedOrigin);
        }
        let size = parse_decimal(size).ok_or(CheckpointError::MalformedTreeSize)?;
        let root = parse_hash(root).ok_or(CheckpointError::MalformedRootHash)?;
        let mut extensions = Vec::new();
        for (index, line) in lines.enumerate() {
            if !is_single_line(line) {
                return Err(CheckpointError::MalformedExtension { index });
            }
            extensions.push(line.to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }
}

/// A checkpoint with its signature lines (log signature and cosignatures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    checkpoint: Checkpoint,
    note: Note,
}

impl SignedCheckpoint {
    /// Starts a checkpoint with no signature yet.
    pub fn new(checkpoint: Checkpoint) -> Result<Self, CheckpointError> {
        let note = Note::new(checkpoint.to_body()?)?;
        Ok(SignedCheckpoint { checkpoint, note })
    }

    /// Parses a signed checkpoint note; does not verify any signature.
    pub fn parse(bytes: &[u8]) -> Result<Self, CheckpointError> {
        Self::from_note(Note::parse(bytes)?)
    }

    /// Reads a parsed note's text as a checkpoint.
    pub fn from_note(note: Note) -> Result<Self, CheckpointError> {
        let checkpoint = Checkpoint::parse_body(note.text())?;
        Ok(SignedCheckpoint { checkpoint, note })
    }

    /// The checkpoint.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The underlying note.
    pub fn note(&self) -> &Note {
        &self.note
    }

    /// The signature lines, in order.
    pub fn signatures(&self) -> &[NoteSignature] {
        self.note.signatures()
    }

    /// Adds the log's Ed25519 note signature (an [`KeyType::Ed25519`] key).
    pub fn sign(&mut self, key: &SignerKey) -> Result<NoteSignature, CheckpointError> {
        self.note.sign(key)
    }

    /// Adds a witness `cosignature/v1` at `timestamp` (a
    /// [`KeyType::Cosignature`] key) and returns its line.
    pub fn cosign(
        &mut self,
        key: &SignerKey,
        timestamp: u64,
    ) -> Result<NoteSignature, CheckpointError> {
        self.note.cosign(key, timestamp)
    }

    /// Appends a signature line received from elsewhere (e.g. a witness).
    pub fn push_signature(&mut self, signature: NoteSignature) -> Result<(), CheckpointError> {
        self.note.push_signature(signature)
    }

    /// Verifies against known keys (log keys and witness keys together) and
    /// reports which of them signed, with cosignature timestamps. Lines from
    /// unknown keys are ignored; see [`Note::verify`].
    pub fn verify_with(
        &self,
        keys: &[VerifierKey],
    ) -> Result<Vec<VerifiedSignature>, CheckpointError> {
        self.note.verify(keys)
    }

    /// Formats the signed note.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.note.to_bytes()
    }
}

/// The body of a tlog-witness `add-checkpoint` request: old size,
/// consistency proof, blank line, signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpointRequest {
    /// Size of the checkpoint the witness last cosigned for this origin (0 if none).
    pub old_size: u64,
    /// RFC 6962 consistency proof from `old_size` to the checkpoint's size.
    pub proof: Vec<[u8; 32]>,
    /// The submitted checkpoint.
    pub checkpoint: SignedCheckpoint,
}

impl AddCheckpointRequest {
    /// Parses a request body. Checks its form and `old_size <= size`; the
    /// proof itself and the signatures are left to the witness.
    pub fn parse(bytes: &[u8]) -> Result<Self, CheckpointError> {
        let max = MAX_NOTE_BYTES + 64 * 46;
        if bytes.len() > max {
            return Err(CheckpointError::TooLarge {
                size: bytes.len(),
                max,
            });
        }
        let s = std::str::from_utf8(bytes).map_err(|_| CheckpointError::MalformedEncoding)?;
        let (first, mut rest) = s
            .split_once('\n')
            .ok_or(CheckpointError::MalformedOldSize)?;
        let old_size = first
            .strip_prefix("old ")
            .and_then(parse_decimal)
            .ok_or(CheckpointError::MalformedOldSize)?;
        let mut proof = Vec::new();
        loop {
            let line_no = proof.len() + 1;
            let malformed = CheckpointError::MalformedConsistencyProof { line: line_no };
            let (line, tail) = rest.split_once('\n').ok_or(malformed.clone())?;
            rest = tail;
            if line.is_empty() {
                break;
            }
            if proof.len() == MAX_CONSISTENCY_PROOF_HASHES {
                return Err(malformed);
            }
            proof.push(parse_hash(line).ok_or(malformed)?);
        }
        let checkpoint = SignedCheckpoint::parse(rest.as_bytes())?;
        let size = checkpoint.checkpoint().size;
        if old_size > size {
            return Err(CheckpointError::OldSizeTooLarge {
                old: old_size,
                size,
            });
        }
        Ok(AddCheckpointRequest {
            old_size,
            proof,
            checkpoint,
        })
    }

    /// Formats the request body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("old {}\n", self.old_size);
        for hash in &self.proof {
            out.push_str(&STANDARD.encode(hash));
            out.push('\n');
        }
        out.push('\n');
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.checkpoint.to_bytes());
        bytes
    }
}

#[cfg(test)]
mod tests;
