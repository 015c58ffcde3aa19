//! The one error type of the crate: every failed check has its own named variant.

use crate::event::{ClaimValue, EventKind};

/// One thing wrong with the claims given for an event kind; [`CredentialError::InvalidClaims`]
/// carries them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimProblem {
    /// A claim the kind does not have (and so not defined in the JSON-LD context).
    Unknown {
        /// The name given.
        claim: String,
        /// A claim of the kind with a close name (`givenname` for `givenName`), if any.
        suggestion: Option<&'static str>,
    },
    /// A claim the kind requires is missing.
    Missing(&'static str),
    /// A claim's value is not a string.
    NotText(&'static str),
    /// A claim's value breaks its check.
    BadValue {
        /// The claim.
        claim: &'static str,
        /// The check it breaks.
        check: ClaimValue,
        /// The value given.
        given: String,
    },
}

impl ClaimProblem {
    /// The claim the problem is about.
    pub fn claim(&self) -> &str {
        match self {
            ClaimProblem::Unknown { claim, .. } => claim,
            ClaimProblem::Missing(claim) | ClaimProblem::NotText(claim) => claim,
            ClaimProblem::BadValue { claim, .. } => claim,
        }
    }
}

impl std::fmt::Display for ClaimProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClaimProblem::Unknown {
                claim,
                suggestion: Some(s),
            } => write!(
                f,
                "`{claim}` is not a claim of this kind (did you mean `{s}`?)"
            ),
            ClaimProblem::Unknown { claim, .. } => {
                write!(f, "`{claim}` is not a claim of this kind")
            }
            ClaimProblem::Missing(claim) => write!(f, "`{claim}` is required and missing"),
            ClaimProblem::NotText(claim) => write!(f, "`{claim}` must be a string"),
            ClaimProblem::BadValue {
                claim,
                check,
                given,
            } => write!(f, "`{claim}` = {given:?} is not {}", check.rule()),
        }
    }
}

fn problem_list(problems: &[ClaimProblem]) -> String {
    problems
        .iter()
        .map(ClaimProblem::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything that can go wrong while building, issuing, presenting or verifying a credential.
///
/// Verification failures name the check that failed, so callers (and tests) can match on them
/// instead of parsing messages.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    // --- event claims -------------------------------------------------------------------
    /// The event kind name is not one of the eight civil-status event kinds.
    #[error("unknown event kind `{0}`")]
    UnknownEventKind(String),
    /// The claims are not a JSON object.
    #[error("claims must be a JSON object")]
    ClaimsNotAnObject,
    /// The claims given for an event kind break its claim list: every problem found, at once
    /// (unknown claims, missing required ones, bad values), and the kind's allowed claims.
    #[error(
        "{} problem(s) with the {kind} claims: {}; the {kind} claims are, required: {}; \
         optional: {}",
        problems.len(),
        problem_list(problems),
        crate::event::claim_list(crate::event::CredentialKind::claim_specs(*kind), true),
        crate::event::claim_list(crate::event::CredentialKind::claim_specs(*kind), false)
    )]
    InvalidClaims {
        /// The event kind.
        kind: EventKind,
        /// Every problem found, in the order of the claims given, then the missing ones.
        problems: Vec<ClaimProblem>,
    },
    /// A claim name is not defined for this event kind (and so not in the JSON-LD context).
    #[error("`{claim}` is not a {kind} claim")]
    UnknownClaim {
        /// The event kind.
        kind: EventKind,
        /// The offending claim name.
        claim: String,
    },
    /// A claim value has the wrong shape (not a string, not a date, not a country code...).
    #[error("claim `{claim}` is invalid: {reason}")]
    InvalidClaimValue {
        /// The claim name.
        claim: String,
        /// What was expected.
        reason: &'static str,
    },

    // --- keys and identifiers -----------------------------------------------------------
    /// A DID is not a did:key for an Ed25519 key.
    #[error("`{0}` is not an Ed25519 did:key")]
    InvalidDidKey(String),
    /// A public key is not a valid Ed25519 point.
    #[error("invalid Ed25519 public key")]
    InvalidPublicKey,
    /// A timestamp is outside the range this crate formats (years 0000-9999).
    #[error("timestamp {0} is out of range")]
    TimestampOutOfRange(i64),
    /// The operating system's random source failed.
    #[error("random source failed")]
    Randomness,

    // --- data integrity -----------------------------------------------------------------
    /// The document is not the JSON shape this crate signs or verifies.
    #[error("malformed document: {0}")]
    MalformedDocument(&'static str),
    /// The document nests arrays and objects deeper than the verifier processes
    /// (the wallet's `data_integrity::MAX_DOCUMENT_DEPTH`).
    #[error("document nests deeper than {limit} levels")]
    TooDeeplyNested {
        /// The limit.
        limit: usize,
    },
    /// The document has no `proof`.
    #[error("document has no proof")]
    MissingProof,
    /// The proof's `type`/`cryptosuite` is not one this crate accepts.
    #[error("unsupported cryptosuite `{0}`")]
    UnsupportedCryptosuite(String),
    /// The proof's purpose is not the one required (assertionMethod for credentials,
    /// authentication for presentations).
    #[error("proof purpose is `{found}`, expected `{expected}`")]
    WrongProofPurpose {
        /// The required purpose.
        expected: &'static str,
        /// The purpose found in the proof.
        found: String,
    },
    /// The verification method is not a key of the expected DID (the issuer, or the holder).
    #[error("verification method `{method}` does not belong to `{expected_controller}`")]
    VerificationMethodMismatch {
        /// The verification method found in the proof.
        method: String,
        /// The DID that should control it.
        expected_controller: String,
    },
    /// `proofValue` is missing or not a base58btc multibase 64-byte signature.
    #[error("malformed proofValue")]
    MalformedProofValue,
    /// The signature does not verify: the document or proof was altered, or signed by
    /// another key.
    #[error("signature does not verify")]
    InvalidSignature,
    /// Signing failed (e.g. JSON-LD expansion of the document failed).
    #[error("signing failed: {0}")]
    Signing(String),
    /// Verification could not run (e.g. an unknown JSON-LD context).
    #[error("could not verify: {0}")]
    VerificationFailed(String),
    /// JSON canonicalization (RFC 8785) failed.
    #[error("JSON canonicalization failed: {0}")]
    Canonicalization(String),
    /// The presentation's `challenge` is not the verifier's.
    #[error("presentation challenge does not match the verifier's")]
    ChallengeMismatch,
    /// The presentation's `domain` is not the verifier's.
    #[error("presentation domain does not match the verifier's")]
    DomainMismatch,
    /// The presentation was signed by someone other than the credential's subject.
    #[error("presentation holder `{holder}` is not the credential subject `{subject}`")]
    HolderMismatch {
        /// Who signed the presentation.
        holder: String,
        /// Whom the credential was issued to.
        subject: String,
    },
    /// The credential's `validFrom` is after the verifier's clock.
    #[error("credential is valid only from {valid_from}, now is {now}")]
    NotYetValid {
        /// `validFrom`, Unix seconds.
        valid_from: i64,
        /// The verifier's clock, Unix seconds.
        now: i64,
    },
    /// A presentation must carry exactly one credential.
    #[error("presentation must carry exactly one credential")]
    CredentialCount,

    // --- SD-JWT ---------------------------------------------------------------------------
    /// The SD-JWT could not be parsed (separators, base64url, JSON, disclosures).
    #[error("malformed SD-JWT: {0}")]
    MalformedSdJwt(String),
    /// A presentation text starting with `{` is not a valid presentation envelope
    /// (`specs/credentials.md` 11.1): not JSON of that shape, too deep, or an unknown format.
    #[error("presentation envelope: {0}")]
    MalformedEnvelope(String),
    /// The issuer JWT's `typ` header is not `dc+sd-jwt`.
    #[error("issuer JWT typ is `{0}`, expected `dc+sd-jwt`")]
    WrongJwtType(String),
    /// The issuer JWT's `alg` is not EdDSA.
    #[error("JWT alg is `{0}`, expected `EdDSA`")]
    WrongJwtAlgorithm(String),
    /// The issuer signature over the SD-JWT does not verify.
    #[error("issuer signature does not verify")]
    InvalidIssuerSignature,
    /// A disclosure does not match any digest in the issuer-signed payload, or appears twice.
    #[error("disclosure is not committed to by the issuer: {0}")]
    UnknownDisclosure(String),
    /// The issuer JWT is not yet valid, expired, or otherwise fails its time claims.
    #[error("issuer JWT claims are invalid: {0}")]
    InvalidIssuerClaims(String),
    /// The presentation has no key-binding JWT.
    #[error("presentation has no key-binding JWT")]
    MissingKeyBinding,
    /// The issuer JWT has no usable `cnf.jwk` holder key.
    #[error("issuer JWT has no Ed25519 cnf.jwk")]
    MissingHolderKey,
    /// The key-binding JWT is malformed (header, payload, `typ`).
    #[error("malformed key-binding JWT: {0}")]
    MalformedKeyBinding(String),
    /// The key-binding JWT was not signed by the `cnf` key.
    #[error("key-binding JWT is not signed by the holder key")]
    InvalidKeyBindingSignature,
    /// The key-binding JWT's `nonce` is not the verifier's challenge.
    #[error("key-binding nonce does not match the verifier's challenge")]
    NonceMismatch,
    /// The key-binding JWT's `aud` is not the verifier.
    #[error("key-binding audience does not match the verifier")]
    AudienceMismatch,
    /// The key-binding JWT's `iat` is outside the verifier's freshness window.
    #[error("key-binding iat {iat} is outside the window around {now}")]
    StaleKeyBinding {
        /// The `iat` in the KB-JWT.
        iat: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// The key-binding JWT's `sd_hash` does not cover this SD-JWT and these disclosures.
    #[error("key-binding sd_hash does not match the presentation")]
    SdHashMismatch,
    /// A claim asked to be disclosed is not in the credential.
    #[error("claim `{0}` is not in the credential")]
    NoSuchClaim(String),
}

impl CredentialError {
    /// The variant's name (`UnknownEventKind`, ...), as messages and JSON name the error: one
    /// name per variant, matched exhaustively.
    pub fn name(&self) -> &'static str {
        match self {
            CredentialError::UnknownEventKind(..) => "UnknownEventKind",
            CredentialError::ClaimsNotAnObject => "ClaimsNotAnObject",
            CredentialError::InvalidClaims { .. } => "InvalidClaims",
            CredentialError::UnknownClaim { .. } => "UnknownClaim",
            CredentialError::InvalidClaimValue { .. } => "InvalidClaimValue",
            CredentialError::InvalidDidKey(..) => "InvalidDidKey",
            CredentialError::InvalidPublicKey => "InvalidPublicKey",
            CredentialError::TimestampOutOfRange(..) => "TimestampOutOfRange",
            CredentialError::Randomness => "Randomness",
            CredentialError::MalformedDocument(..) => "MalformedDocument",
            CredentialError::TooDeeplyNested { .. } => "TooDeeplyNested",
            CredentialError::MissingProof => "MissingProof",
            CredentialError::UnsupportedCryptosuite(..) => "UnsupportedCryptosuite",
            CredentialError::WrongProofPurpose { .. } => "WrongProofPurpose",
            CredentialError::VerificationMethodMismatch { .. } => "VerificationMethodMismatch",
            CredentialError::MalformedProofValue => "MalformedProofValue",
            CredentialError::InvalidSignature => "InvalidSignature",
            CredentialError::Signing(..) => "Signing",
            CredentialError::VerificationFailed(..) => "VerificationFailed",
            CredentialError::Canonicalization(..) => "Canonicalization",
            CredentialError::ChallengeMismatch => "ChallengeMismatch",
            CredentialError::DomainMismatch => "DomainMismatch",
            CredentialError::HolderMismatch { .. } => "HolderMismatch",
            CredentialError::NotYetValid { .. } => "NotYetValid",
            CredentialError::CredentialCount => "CredentialCount",
            CredentialError::MalformedSdJwt(..) => "MalformedSdJwt",
            CredentialError::MalformedEnvelope(..) => "MalformedEnvelope",
            CredentialError::WrongJwtType(..) => "WrongJwtType",
            CredentialError::WrongJwtAlgorithm(..) => "WrongJwtAlgorithm",
            CredentialError::InvalidIssuerSignature => "InvalidIssuerSignature",
            CredentialError::UnknownDisclosure(..) => "UnknownDisclosure",
            CredentialError::InvalidIssuerClaims(..) => "InvalidIssuerClaims",
            CredentialError::MissingKeyBinding => "MissingKeyBinding",
            CredentialError::MissingHolderKey => "MissingHolderKey",
            CredentialError::MalformedKeyBinding(..) => "MalformedKeyBinding",
            CredentialError::InvalidKeyBindingSignature => "InvalidKeyBindingSignature",
            CredentialError::NonceMismatch => "NonceMismatch",
            CredentialError::AudienceMismatch => "AudienceMismatch",
            CredentialError::StaleKeyBinding { .. } => "StaleKeyBinding",
            CredentialError::SdHashMismatch => "SdHashMismatch",
            CredentialError::NoSuchClaim(..) => "NoSuchClaim",
        }
    }

    /// The values of the error's text, in the order of its `{0}`, `{1}`... A program telling
    /// the error in another language keys its text by [`Self::name`] (the wallet's catalogue:
    /// `cred-<Name>`) and fills in these; `InvalidClaims` gives its whole English text as its
    /// one value. Matched exhaustively: a new variant does not compile without its values.
    pub fn message_args(&self) -> Vec<String> {
        use CredentialError as E;
        let s = |v: &dyn std::fmt::Display| v.to_string();
        match self {
            E::InvalidClaims { .. } => vec![self.to_string()],
            E::UnknownEventKind(k) => vec![s(k)],
            E::UnknownClaim { kind, claim } => vec![s(claim), s(kind)],
            E::InvalidClaimValue { claim, reason } => vec![s(claim), s(reason)],
            E::InvalidDidKey(v)
            | E::UnsupportedCryptosuite(v)
            | E::Signing(v)
            | E::VerificationFailed(v)
            | E::Canonicalization(v)
            | E::MalformedSdJwt(v)
            | E::MalformedEnvelope(v)
            | E::WrongJwtType(v)
            | E::WrongJwtAlgorithm(v)
            | E::UnknownDisclosure(v)
            | E::InvalidIssuerClaims(v)
            | E::MalformedKeyBinding(v)
            | E::NoSuchClaim(v) => vec![s(v)],
            E::MalformedDocument(v) => vec![s(v)],
            E::TimestampOutOfRange(t) => vec![s(t)],
            E::TooDeeplyNested { limit } => vec![s(limit)],
            E::WrongProofPurpose { expected, found } => vec![s(found), s(expected)],
            E::VerificationMethodMismatch {
                method,
                expected_controller,
            } => vec![s(method), s(expected_controller)],
            E::HolderMismatch { holder, subject } => vec![s(holder), s(subject)],
            E::NotYetValid { valid_from, now } => vec![s(valid_from), s(now)],
            E::StaleKeyBinding { iat, now } => vec![s(iat), s(now)],
            E::ClaimsNotAnObject
            | E::InvalidPublicKey
            | E::Randomness
            | E::MissingProof
            | E::MalformedProofValue
            | E::InvalidSignature
            | E::ChallengeMismatch
            | E::DomainMismatch
            | E::CredentialCount
            | E::InvalidIssuerSignature
            | E::MissingKeyBinding
            | E::MissingHolderKey
            | E::InvalidKeyBindingSignature
            | E::NonceMismatch
            | E::AudienceMismatch
            | E::SdHashMismatch => Vec::new(),
        }
    }
}
