//! Nansen wallet library: civil-status credentials for displaced people.
//!
//! A registrar issues one credential per civil-status event (birth, death, marriage, ...) in two
//! securings of the same claims:
//!
//! - a W3C Verifiable Credential (Data Model 2.0) with a Data Integrity proof
//!   (`eddsa-rdfc-2022` or `eddsa-jcs-2022`), presented inside a holder-signed
//!   Verifiable Presentation bound to the verifier's challenge and domain;
//! - an SD-JWT VC (`dc+sd-jwt`) whose every claim is selectively disclosable, presented with a
//!   key-binding JWT bound to the verifier's nonce and identity.
//!
//! Identifiers are `did:key` Ed25519 keys. The ledger anchors only the random credential id and
//! two digests ([`digest`]); the claims never leave the credential. JSON-LD contexts are bundled
//! ([`context`]): nothing is fetched from the network.
//!
//! This crate is the library under the `nansen` binary. The credential modules do no I/O; the
//! [`wallet`] module keeps the holder's key and credentials encrypted at rest (one process at a
//! time changing it, through [`file_lock`]), [`passphrase`] is the strength rule for new
//! passphrases, [`recovery`] derives the holder key from a BIP39 phrase, [`qr`] turns presentations into QR codes,
//! [`i18n`] holds the user-facing messages and [`cli`] is the command line itself.
//! [`node_client`] asks a node's HTTP API and [`ledger_check`] carries the portable ledger proof
//! in presentations and runs the verifier's ledger checks against a replica. [`vc_api`] serves
//! the W3C VC API subset (answers only; the `nansen-vc-api` binary serves them).

pub mod cli;
pub mod context;
pub mod credential;
pub mod data_integrity;
pub mod did;
pub mod digest;
pub mod error;
pub mod event;
pub mod file_lock;
pub mod i18n;
pub mod jcs;
pub mod ledger_check;
pub mod node_client;
pub mod passphrase;
pub mod qr;
pub mod recovery;
pub mod recovery_backup;
pub mod registrar_entries;
mod runtime;
pub mod sd_jwt;
pub mod sheet_image;
pub mod vc_api;
pub mod wallet;

pub use error::{ClaimProblem, CredentialError};
pub use event::{parse_event_kind, CredentialKind, EventClaims, EventKind};

use serde_json::Value;

/// One credential as issued: both securings and the ledger's view of it.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedCredential {
    /// The credential id (a UUID v4); goes on the ledger.
    pub id: [u8; 16],
    /// The signed Data Integrity credential (`eddsa-rdfc-2022`).
    pub data_integrity: Value,
    /// The issued SD-JWT VC (issuer JWT and every disclosure, no key binding).
    pub sd_jwt: String,
    /// SHA-256 of the JCS form of `data_integrity`; goes on the ledger.
    pub di_digest: [u8; 32],
    /// SHA-256 of the issuer JWT of `sd_jwt`; goes on the ledger.
    pub sd_digest: [u8; 32],
}

/// Issues a credential for one civil-status event.
///
/// `claims` is a JSON object validated against `event`'s claim list; `holder_did` is the
/// holder's did:key; `registrar_signing_key_seed` is the registrar's 32-byte Ed25519 seed (its
/// did:key is the issuer); `now` (Unix seconds) is `validFrom`, the proof's `created` and the
/// JWT's `iat`. A fresh random id and salt are drawn from the operating system.
pub fn issue(
    event: EventKind,
    claims: &Value,
    holder_did: &str,
    registrar_signing_key_seed: &[u8; 32],
    now: i64,
) -> Result<IssuedCredential, CredentialError> {
    let id = credential::uuid_v4(credential::random_16()?);
    let salt = credential::random_16()?;
    issue_with(
        event,
        claims,
        holder_did,
        registrar_signing_key_seed,
        now,
        id,
        salt,
    )
}

/// [`issue`] with a given id and salt (for reproducible tests and examples).
pub fn issue_with(
    event: EventKind,
    claims: &Value,
    holder_did: &str,
    registrar_signing_key_seed: &[u8; 32],
    now: i64,
    id: [u8; 16],
    salt: [u8; 16],
) -> Result<IssuedCredential, CredentialError> {
    let claims = EventClaims::for_issuance(event, claims)?;
    let issuer_did = did::did_key_from_seed(registrar_signing_key_seed);
    let draft = credential::CredentialDraft {
        claims: &claims,
        issuer_did: &issuer_did,
        holder_did,
        id,
        salt,
        valid_from: now,
    };
    let unsigned = draft.to_json()?;
    let data_integrity = data_integrity::sign_rdfc(&unsigned, registrar_signing_key_seed, now)?;
    let sd_jwt = sd_jwt::issue(&draft, registrar_signing_key_seed, now)?;
    Ok(IssuedCredential {
        id,
        di_digest: digest::di_digest(&data_integrity)?,
        sd_digest: digest::sd_digest(&sd_jwt),
        data_integrity,
        sd_jwt,
    })
}

pub use data_integrity::{
    present as present_data_integrity, verify_credential as verify_data_integrity_credential,
    verify_presentation as verify_data_integrity_presentation, VerifiedCredential,
    VerifiedPresentation,
};
pub use sd_jwt::{
    present as present_sd_jwt, verify_presentation as verify_sd_jwt_presentation,
    DisclosedCredential, KeyBindingRequest,
};
