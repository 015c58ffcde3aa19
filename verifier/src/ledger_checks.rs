//! The ledger side of a presentation: the envelope that carries the portable ledger proof
//! (`specs/credentials.md` section 11), a replica built from an exported ledger, and the four
//! ledger checks a verifier reports by name: `ledger-anchoring`, `issuer-accredited`,
//! `credential-status` and `revocation-freshness`.
//!
//! No I/O here: a node's answer about the credential's status ([`NodeStatus`]) and the bytes of
//! an export are fetched or read by the caller (the wallet's `ledger_check`) and passed in.

use ledger::authority::{attestation_authority, AttestationFacts, AuthorityError};
use ledger::cbor_seq::SeqReader;
use ledger::checkpoint::VerifierKey;
use ledger::entry::Entry;
use ledger::genesis::Genesis;
use ledger::payload::{Attestation, Payload};
use ledger::portable::PortableProofError;
use ledger::signing::BatchVerifier;
use ledger::store::{CredentialStatus, MemoryLedger};
use ledger::types::{Author, CredentialId, NetworkId, PublicKeyBytes};
pub use nansen_wire::envelope::{
    di_envelope_text, envelope_text, Envelope, PresentationForm, ProofJson, ENVELOPE_FORMAT,
};
use serde_json::{json, Value};

use crate::error::CredentialError;

/// The names of the ledger checks, in the order they are reported.
pub const LEDGER_CHECKS: &[&str] = &[
    "ledger-anchoring",
    "issuer-accredited",
    "credential-status",
    "revocation-freshness",
];

/// Why a replica could not be built (not a failed check: an input problem).
#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    /// The genesis or an item of the export is not what it should be.
    #[error("{0}")]
    Bad(String),
}

/// What a node answered about the credential's status (`GET /v1/credentials/{id}/status`),
/// asked by the caller before the checks run.
#[derive(Debug, Clone)]
pub struct NodeStatus {
    /// The node's URL (`http://host:port`), named in the checks' details.
    pub url: String,
    /// The answer's JSON, or why there was none (the node unreachable, a bad answer).
    pub answer: Result<Value, String>,
}

/// Splits a presentation text into the SD-JWT presentation and the proof it carries. A text
/// starting with `{` must be an envelope; anything else is a bare SD-JWT presentation.
/// A bad envelope, or one carrying a Data Integrity presentation, is
/// [`CredentialError::MalformedEnvelope`] (see [`open_envelope`] for both forms).
pub fn open_presentation(text: &str) -> Result<(String, Option<ProofJson>), CredentialError> {
    match open_envelope(text)? {
        (PresentationForm::SdJwt(sd), proof) => Ok((sd, proof)),
        (PresentationForm::DataIntegrity(_), _) => Err(CredentialError::MalformedEnvelope(
            "a Data Integrity presentation where an SD-JWT one was expected".into(),
        )),
    }
}

/// Splits a presentation text into the presentation and the proof it carries
/// ([`nansen_wire::envelope::open_envelope`]); a bad envelope is
/// [`CredentialError::MalformedEnvelope`].
pub fn open_envelope(text: &str) -> Result<(PresentationForm, Option<ProofJson>), CredentialError> {
    nansen_wire::envelope::open_envelope(text)
        .map_err(|e| CredentialError::MalformedEnvelope(e.to_string()))
}

/// A ledger replica the verifier holds for this check.
pub struct Replica {
    /// The core's in-memory ledger, with every entry that validated: the same rules as a
    /// node, no file on disk.
    pub store: MemoryLedger,
    /// Where it came from (`ledger file <path>` or `node <url>`).
    pub source: String,
    /// Entries read and entries accepted.
    pub counts: (usize, usize),
}

impl Replica {
    /// The newest entry time over all chains (ms since the Unix epoch).
    pub fn newest_entry_ms(&self) -> Option<u64> {
        self.store
            .state()
            .chains()
            .iter()
            .filter(|(_, h)| h.size > 0)
            .map(|(_, h)| h.last_time_ms)
            .max()
    }
}

/// Entries handed to the ledger at a time while a replica is built.
const INGEST_BATCH: usize = 2000;

/// A replica of the network of `genesis` built from an export read item by item (the core's
/// CBOR-sequence reader, each item bounded by the genesis `max_entry_bytes`), so an export of
/// any size costs one batch of entries besides the replica itself.
///
/// `verifier` checks the entries' signatures (the wallet spreads them over all cores; the
/// browser checks them one by one with the core's default).
pub fn ingest(
    genesis: &Genesis,
    export: impl std::io::Read,
    source: String,
    verifier: Option<Box<dyn BatchVerifier>>,
) -> Result<Replica, ReplicaError> {
    let mut store = MemoryLedger::new(genesis).map_err(|e| ReplicaError::Bad(e.to_string()))?;
    if let Some(verifier) = verifier {
        store = store.with_batch_verifier(verifier);
    }
    let max_item = usize::try_from(genesis.limits.max_entry_bytes).unwrap_or(usize::MAX);
    let mut items = SeqReader::new(export, max_item);
    let (mut read, mut accepted) = (0, 0);
    let mut batch = Vec::with_capacity(INGEST_BATCH);
    loop {
        let next = items
            .next()
            .transpose()
            .map_err(|e| ReplicaError::Bad(format!("{source}: {e}")))?;
        if let Some(entry) = next {
            batch.push(entry);
            if batch.len() < INGEST_BATCH {
                continue;
            }
        }
        if batch.is_empty() {
            break;
        }
        read += batch.len();
        let results = store
            .ingest(&batch)
            .map_err(|e| ReplicaError::Bad(format!("ingesting the ledger: {e}")))?;
        accepted += results
            .iter()
            .filter(|r| matches!(r.outcome, ledger::store::Outcome::Accepted))
            .count();
        batch.clear();
    }
    Ok(Replica {
        store,
        source,
        counts: (read, accepted),
    })
}

/// What was presented, as the ledger checks need it.
pub struct Presented<'a> {
    /// Credential id.
    pub id: [u8; 16],
    /// SHA-256 of the issuer JWT (what [`run_checks`] matches; see [`run_checks_matching`]
    /// for other digests).
    pub sd_digest: [u8; 32],
    /// The issuer's did:key.
    pub issuer_did: &'a str,
    /// The issuer's Ed25519 key (from its did:key).
    pub issuer_key: [u8; 32],
    /// The event kind's ledger name.
    pub kind: &'a str,
}

/// The digests the attestation must carry for the presented form: `sd` for an SD-JWT
/// presentation, `di` for a Data Integrity one, both for a whole credential bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Digests {
    /// SHA-256 of the JCS form of the signed Data Integrity credential (`di_digest`).
    pub di: Option<[u8; 32]>,
    /// SHA-256 of the SD-JWT's issuer JWT (`sd_digest`).
    pub sd: Option<[u8; 32]>,
}

/// What the verifier brings to the ledger checks.
pub struct Sources<'a> {
    /// The proof the presentation carried.
    pub proof: Option<&'a ProofJson>,
    /// The network, when known (from the genesis file or the node).
    pub network: Option<NetworkId>,
    /// Trusted witness keys.
    pub witnesses: &'a [VerifierKey],
    /// A replica (ledger file, or built from the node).
    pub replica: Option<&'a Replica>,
    /// What the node asked for the credential status answered, if a node was asked.
    pub node: Option<&'a NodeStatus>,
    /// The verifier's freshness policy: status evidence older than this (seconds) is stale
    /// and fails `revocation-freshness`.
    pub max_evidence_age: i64,
}

/// The default freshness policy: status evidence (a ledger file's newest entry) at most
/// 7 days old.
pub const DEFAULT_MAX_EVIDENCE_AGE: i64 = 7 * 86_400;

/// An age in seconds for people: `45 s`, `12 min`, `5 h 3 min`, `3 d 4 h`.
pub fn age_text(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min", s / 60),
        3_600..=86_399 if s % 3_600 < 60 => format!("{} h", s / 3_600),
        3_600..=86_399 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
        _ if s % 86_400 < 3_600 => format!("{} d", s / 86_400),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// Result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Passed.
    Pass,
    /// Failed, with the error name.
    Fail(String),
    /// Not applicable with what the verifier has.
    Skip,
}

/// One ledger check's result.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The check's name.
    pub name: &'static str,
    /// The outcome.
    pub outcome: Outcome,
    /// For people: why, or what was found.
    pub detail: String,
}

/// The issuer as the ledger knows it, when the accreditation check found it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuerInfo {
    /// The registrar's id on the ledger.
    pub registrar: String,
    /// Its accredited display name.
    pub display_name: String,
    /// The jurisdiction of the attestation.
    pub jurisdiction: String,
}

/// The ledger checks' results and what they found, for `--json`.
pub struct LedgerReport {
    /// The four checks, in [`LEDGER_CHECKS`] order.
    pub checks: Vec<CheckResult>,
    /// What was found (anchor, status, times, sources).
    pub info: Value,
    /// The issuer's accredited name and the attestation's jurisdiction, when
    /// `issuer-accredited` passed.
    pub issuer: Option<IssuerInfo>,
}

struct Anchored {
    author: Author,
    seq: u64,
    time_ms: u64,
    governance_size: u64,
    signer: PublicKeyBytes,
    attestation: Attestation,
    checkpoint_time: Option<u64>,
    via: String,
}

fn anchored_from_entry(bytes: &[u8], via: String) -> Result<Anchored, String> {
    let entry = Entry::decode(bytes, usize::MAX).map_err(|e| e.to_string())?;
    let attestation = match &entry.body().payload {
        Payload::Attest(a) => a.clone(),
        Payload::Supersede(s) => s.replacement.clone(),
        _ => return Err("the entry attests no credential".into()),
    };
    let signer = entry
        .signatures()
        .first()
        .map(|s| s.key)
        .ok_or_else(|| "the entry is unsigned".to_owned())?;
    Ok(Anchored {
        author: entry.body().author.clone(),
        seq: entry.body().seq,
        time_ms: entry.body().time_ms,
        governance_size: entry.body().governance_size,
        signer,
        attestation,
        checkpoint_time: None,
        via,
    })
}

fn proof_error_name(e: &PortableProofError) -> &'static str {
    match e {
        PortableProofError::Entry(_) => "MalformedEntry",
        PortableProofError::WrongNetwork => "WrongNetwork",
        PortableProofError::NotAnAttestation => "NotAnAttestation",
        PortableProofError::BadSignature => "BadEntrySignature",
        PortableProofError::Checkpoint(_) => "UntrustedCheckpoint",
        PortableProofError::CheckpointMismatch { .. } => "CheckpointMismatch",
        PortableProofError::Inclusion(_) => "InclusionProofInvalid",
    }
}

fn time_text_ms(ms: u64) -> String {
    crate::ids::format_timestamp((ms / 1000) as i64).unwrap_or_else(|_| ms.to_string())
}

fn time_text_s(s: u64) -> String {
    crate::ids::format_timestamp(s as i64).unwrap_or_else(|_| s.to_string())
}

fn fail(name: &'static str, error: &str, detail: impl Into<String>) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Fail(error.to_owned()),
        detail: detail.into(),
    }
}

fn pass(name: &'static str, detail: impl Into<String>) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Pass,
        detail: detail.into(),
    }
}

fn skip(name: &'static str, detail: impl Into<String>) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Skip,
        detail: detail.into(),
    }
}

/// Establishes the attestation: from the portable proof (trusted witnesses, or the replica
/// holding the very entry), else from the replica's index of credential ids.
fn anchoring(p: &Presented, d: Digests, s: &Sources) -> (CheckResult, Option<Anchored>) {
    const N: &str = "ledger-anchoring";
    let id = CredentialId(p.id);
    let found = if let Some(proof) = s.proof {
        let portable = match proof.to_portable() {
            Ok(pp) => pp,
            Err(e) => return (fail(N, "MalformedProof", e), None),
        };
        if !s.witnesses.is_empty() {
            let Some(network) = s.network else {
                return (
                    skip(
                        N,
                        "no network given (--node, or --ledger with --genesis): proof not checked",
                    ),
                    None,
                );
            };
            match portable.verify(&network, s.witnesses) {
                Ok(a) => {
                    let names: Vec<&str> = a.witnesses.iter().map(|(n, _)| n.as_str()).collect();
                    Anchored {
                        author: a.author.clone(),
                        seq: a.seq,
                        time_ms: a.time_ms,
                        governance_size: a.governance_size,
                        signer: a.signer,
                        checkpoint_time: a.checkpoint_time(),
                        attestation: a.attestation,
                        via: format!(
                            "portable proof, checkpoint at size {} cosigned by {}",
                            a.tree_size,
                            names.join(", ")
                        ),
                    }
                }
                Err(e) => return (fail(N, proof_error_name(&e), e.to_string()), None),
            }
        } else if let Some(r) = s.replica {
            let a =
                match anchored_from_entry(&portable.entry, format!("the entry is in {}", r.source))
                {
                    Ok(a) => a,
                    Err(e) => return (fail(N, "MalformedProof", e), None),
                };
            match r.store.entry(&a.author, a.seq) {
                Ok(Some(held)) if held == portable.entry => a,
                _ => {
                    return (
                        fail(
                            N,
                            "NotInReplica",
                            format!(
                                "no trusted witness key given and {} does not hold {} #{}",
                                r.source, a.author, a.seq
                            ),
                        ),
                        None,
                    )
                }
            }
        } else {
            return (
                skip(
                    N,
                    "no trusted witness key (--witness or --node): proof not checked",
                ),
                None,
            );
        }
    } else if let Some(r) = s.replica {
        match r.store.credential_status(&id) {
            Ok(CredentialStatus::Attested { attestation, .. }) => {
                match anchored_from_entry(
                    &attestation,
                    format!("attestation found in {}", r.source),
                ) {
                    Ok(a) => a,
                    Err(e) => return (fail(N, "MalformedEntry", e), None),
                }
            }
            Ok(CredentialStatus::Unknown) => {
                return (
                    fail(
                        N,
                        "NotAnchored",
                        format!("no attestation of this credential id in {}", r.source),
                    ),
                    None,
                )
            }
            Ok(other) => {
                return (
                    fail(
                        N,
                        "NotAnchored",
                        format!("no single attestation in {}: {other:?}", r.source),
                    ),
                    None,
                )
            }
            Err(e) => return (fail(N, "ReplicaError", e.to_string()), None),
        }
    } else {
        return (
            skip(
                N,
                "the presentation carries no ledger proof and no replica was given",
            ),
            None,
        );
    };
    if found.attestation.credential_id != id {
        return (
            fail(
                N,
                "CredentialIdMismatch",
                format!(
                    "the attestation is for credential {}, the presentation for {}",
                    found.attestation.credential_id, id
                ),
            ),
            None,
        );
    }
    if d.sd.is_some_and(|sd| found.attestation.sd_digest.0 != sd) {
        return (
            fail(
                N,
                "DigestMismatch",
                "the attested sd_digest is not the SHA-256 of the presented issuer JWT",
            ),
            None,
        );
    }
    if d.di.is_some_and(|di| found.attestation.di_digest.0 != di) {
        return (
            fail(
                N,
                "DigestMismatch",
                "the attested di_digest is not the SHA-256 of the presented Data Integrity \
                 credential (JCS)",
            ),
            None,
        );
    }
    let detail = format!(
        "{} #{} at {} ({})",
        found.author,
        found.seq,
        time_text_ms(found.time_ms),
        found.via
    );
    (pass(N, detail), Some(found))
}

/// The accreditation check; when it passes, `issuer` is set to what the ledger says of the
/// registrar.
fn accreditation(
    p: &Presented,
    s: &Sources,
    anchor: Option<&Anchored>,
    issuer_found: &mut Option<IssuerInfo>,
) -> CheckResult {
    const N: &str = "issuer-accredited";
    let Some(r) = s.replica else {
        return skip(N, "no replica (--node, or --ledger with --genesis)");
    };
    let state = r.store.state();
    let issuer = PublicKeyBytes(p.issuer_key);
    let Some(a) = anchor else {
        return match state.registrar_by_key(&issuer) {
            None => fail(
                N,
                "IssuerNotAccredited",
                format!(
                    "no registrar in {} has the key of {}",
                    r.source, p.issuer_did
                ),
            ),
            Some(id) => fail(
                N,
                "NotAnchored",
                format!("the key is registrar {id}'s, but the attestation was not established"),
            ),
        };
    };
    // The attestation must be the one presented (a presentation rule), then the ledger's
    // own answer on the registrar's authority (the validation rules, in the core).
    if a.attestation.kind.name() != p.kind {
        return fail(
            N,
            "KindMismatch",
            format!(
                "attested as {}, presented as {}",
                a.attestation.kind.name(),
                p.kind
            ),
        );
    }
    if a.signer != issuer {
        return fail(
            N,
            "IssuerKeyNotInForce",
            format!(
                "the entry is signed by {}, the credential's issuer key is {}",
                a.signer.to_hex(),
                issuer.to_hex()
            ),
        );
    }
    let facts = AttestationFacts {
        author: &a.author,
        seq: a.seq,
        governance_size: a.governance_size,
        time_ms: a.time_ms,
        signer: &a.signer,
        attestation: &a.attestation,
    };
    match attestation_authority(state, &facts) {
        Ok((id, reg)) => {
            *issuer_found = Some(IssuerInfo {
                registrar: id.to_string(),
                display_name: reg.display_name.clone(),
                jurisdiction: a.attestation.jurisdiction.as_str().to_owned(),
            });
            pass(
                N,
                format!(
                    "{id} ({}) may attest {} in {} (governance size {})",
                    reg.display_name,
                    a.attestation.kind,
                    a.attestation.jurisdiction.as_str(),
                    a.governance_size
                ),
            )
        }
        Err(e) => fail(N, authority_error_name(&e), format!("{e} ({})", r.source)),
    }
}

/// The verifier's name for each way the ledger refuses the registrar's authority.
fn authority_error_name(e: &AuthorityError) -> &'static str {
    match e {
        AuthorityError::GovernanceChain
        | AuthorityError::UnknownRegistrar(_)
        | AuthorityError::NotYetAccredited { .. }
        | AuthorityError::NoScope { .. } => "IssuerNotAccredited",
        AuthorityError::ReplicaBehind { .. } => "ReplicaBehind",
        AuthorityError::Void { cause, .. } => match cause {
            ledger::state::VoidCause::Suspended { .. } => "RegistrarSuspended",
            ledger::state::VoidCause::ScopeChanged { .. } => "ScopeChanged",
            ledger::state::VoidCause::Forked { .. } => "RegistrarForked",
            ledger::state::VoidCause::GovernanceForked { .. } => "GovernanceForked",
        },
        AuthorityError::KeyNotInForce { .. } => "IssuerKeyNotInForce",
        AuthorityError::OutOfScope(r) => match r {
            ledger::rejection::Rejection::NotAccreditedForKind { .. } => "KindOutOfScope",
            ledger::rejection::Rejection::NotAccreditedForJurisdiction { .. } => {
                "JurisdictionOutOfScope"
            }
            ledger::rejection::Rejection::OutsideValidityWindow { .. } => {
                "OutsideAccreditationWindow"
            }
            _ => "IssuerNotAccredited",
        },
    }
}

fn status_word_check(word: &str, source: &str, extra: &Value) -> CheckResult {
    const N: &str = "credential-status";
    let detail = if extra.is_null() {
        format!("{word} (source: {source})")
    } else {
        format!("{word} {extra} (source: {source})")
    };
    match word {
        "active" => pass(N, detail),
        "revoked" => fail(N, "CredentialRevoked", detail),
        "superseded" => fail(N, "CredentialSuperseded", detail),
        "disputed" => fail(N, "CredentialDisputed", detail),
        "ambiguous" => fail(N, "CredentialAmbiguous", detail),
        _ => fail(N, "CredentialUnknown", detail),
    }
}

fn status(p: &Presented, s: &Sources, anchor: Option<&Anchored>) -> (CheckResult, Value) {
    const N: &str = "credential-status";
    let id = CredentialId(p.id);
    if let Some(node) = s.node {
        let source = format!("node {}", node.url);
        return match &node.answer {
            Ok(v) => {
                let word = v["status"].as_str().unwrap_or("unknown").to_owned();
                (
                    status_word_check(&word, &source, &v["decision"]),
                    json!({"status": word, "source": source, "decision": v["decision"]}),
                )
            }
            Err(e) => (fail(N, "NodeUnreachable", e.clone()), Value::Null),
        };
    }
    let Some(r) = s.replica else {
        return (skip(N, "no node and no ledger file"), Value::Null);
    };
    // Newer evidence at hand: a carried checkpoint of the registrar's chain beyond what the
    // replica holds means entries the replica lacks (a revocation among them, perhaps).
    if let Some((author, carried)) = s.proof.and_then(carried_chain_size) {
        let held = r.store.state().chain(&author).size;
        if held < carried {
            return (
                fail(
                    N,
                    "StaleLedgerFile",
                    format!(
                        "{} holds {held} entries of {author}'s chain, the presentation's \
                         checkpoint shows {carried}: the status cannot be told from the older \
                         evidence; load a newer ledger file or check online",
                        r.source
                    ),
                ),
                json!({"status": "unknown", "source": r.source,
                       "replica_chain_size": held, "checkpoint_chain_size": carried}),
            );
        }
    }
    let answer = match anchor.and_then(|a| a.author.registrar()) {
        Some(reg) => r.store.credential_status_from(&id, reg),
        None => r.store.credential_status(&id),
    };
    let (word, decision) = match answer {
        Err(e) => return (fail(N, "ReplicaError", e.to_string()), Value::Null),
        Ok(CredentialStatus::Unknown) => ("unknown", Value::Null),
        Ok(CredentialStatus::Disputed { .. }) => ("disputed", Value::Null),
        Ok(CredentialStatus::Ambiguous { .. }) => ("ambiguous", Value::Null),
        Ok(CredentialStatus::Attested { record, .. }) => {
            // Named as the node's API names it (one rendering of a credential's state).
            let (word, decision) = nansen_wire::api::Decision::of(&record.state);
            (word, serde_json::to_value(decision).unwrap_or(Value::Null))
        }
    };
    (
        status_word_check(word, &r.source, &decision),
        json!({"status": word, "source": r.source, "decision": decision}),
    )
}

/// The chain and size a carried portable proof shows (its entry's author, its tree size),
/// whether or not its checkpoint can be checked: a larger size can only make the verifier
/// stricter.
fn carried_chain_size(proof: &ProofJson) -> Option<(Author, u64)> {
    let portable = proof.to_portable().ok()?;
    let entry = Entry::decode(&portable.entry, usize::MAX).ok()?;
    Some((entry.body().author.clone(), portable.tree_size))
}

/// The freshness of the status evidence: asked of a node now, or the newest entry of the
/// replica; stale beyond the policy. Skipped when the status was not checked at all.
fn freshness(
    s: &Sources,
    status: &CheckResult,
    checkpoint_time: Option<u64>,
    now: i64,
) -> (CheckResult, Option<i64>) {
    const N: &str = "revocation-freshness";
    let checkpoint = checkpoint_time.map(|t| {
        format!(
            "checkpoint cosigned {} ({} old)",
            time_text_s(t),
            age_text(now - t as i64)
        )
    });
    if status.outcome == Outcome::Skip {
        let mut detail = "no status evidence (no node, no ledger file)".to_owned();
        if let Some(c) = checkpoint {
            detail.push_str(&format!("; {c}, which proves anchoring, not status"));
        }
        return (skip(N, detail), None);
    }
    // A status that could not be obtained (the node went away, the replica failed) is no
    // evidence at all: its age is not "now".
    if matches!(&status.outcome, Outcome::Fail(e) if e == "NodeUnreachable" || e == "ReplicaError")
    {
        return (
            skip(N, "no status evidence was obtained (see credential-status)"),
            None,
        );
    }
    let (evidence, what) = match (s.node, s.replica) {
        (Some(node), _) => (Some(now), format!("status asked of node {} now", node.url)),
        (None, Some(r)) => match r.newest_entry_ms() {
            Some(ms) => (
                Some((ms / 1000) as i64),
                format!("{} newest entry {}", r.source, time_text_ms(ms)),
            ),
            None => (None, format!("{} holds no entry", r.source)),
        },
        (None, None) => (None, "no status evidence".to_owned()),
    };
    let Some(evidence) = evidence else {
        return (fail(N, "NoStatusEvidence", what), None);
    };
    let age = now - evidence;
    let mut detail = format!(
        "evidence age {} ({what}; policy: at most {})",
        age_text(age),
        age_text(s.max_evidence_age)
    );
    if let Some(c) = checkpoint {
        detail.push_str(&format!("; {c}"));
    }
    if age > s.max_evidence_age {
        (fail(N, "StaleEvidence", detail), Some(age))
    } else {
        (pass(N, detail), Some(age))
    }
}

/// Runs the four ledger checks for an SD-JWT presentation (the attestation's `sd_digest` must
/// be `p.sd_digest`).
pub fn run_checks(p: &Presented, s: &Sources, now: i64) -> LedgerReport {
    let digests = Digests {
        di: None,
        sd: Some(p.sd_digest),
    };
    run_checks_matching(p, digests, s, now)
}

/// Runs the four ledger checks, matching the attestation against the given digests
/// (`p.sd_digest` is not used).
pub fn run_checks_matching(p: &Presented, digests: Digests, s: &Sources, now: i64) -> LedgerReport {
    let (anchoring, anchor) = anchoring(p, digests, s);
    let mut issuer = None;
    let accredited = accreditation(p, s, anchor.as_ref(), &mut issuer);
    let (status, status_info) = status(p, s, anchor.as_ref());
    let checkpoint_time = anchor.as_ref().and_then(|a| a.checkpoint_time);
    let newest = s.replica.and_then(Replica::newest_entry_ms);
    let (freshness, evidence_age) = freshness(s, &status, checkpoint_time, now);
    let info = json!({
        "anchor": anchor.as_ref().map(|a| json!({
            "registrar": a.author.as_str(),
            "seq": a.seq,
            "time": time_text_ms(a.time_ms),
            "governance_size": a.governance_size,
            "kind": a.attestation.kind.name(),
            "jurisdiction": a.attestation.jurisdiction.as_str(),
            "via": a.via,
        })),
        "status": status_info,
        "checkpoint_time": checkpoint_time.map(time_text_s),
        "ledger_newest_entry_time": newest.map(time_text_ms),
        "replica": s.replica.map(|r| json!({
            "source": r.source,
            "entries_read": r.counts.0,
            "entries_accepted": r.counts.1,
        })),
        "node": s.node.map(|n| n.url.as_str()),
        "witnesses": s.witnesses.iter().map(|w| w.name().to_owned()).collect::<Vec<_>>(),
        "proof_carried": s.proof.is_some(),
        "evidence_age_seconds": evidence_age,
        "max_evidence_age_seconds": s.max_evidence_age,
    });
    LedgerReport {
        checks: vec![anchoring, accredited, status, freshness],
        info,
        issuer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_that_could_not_be_obtained_has_no_evidence_age() {
        let node = NodeStatus {
            url: "http://127.0.0.1:9".into(),
            answer: Err("connection refused".into()),
        };
        let sources = Sources {
            proof: None,
            network: None,
            witnesses: &[],
            replica: None,
            node: Some(&node),
            max_evidence_age: DEFAULT_MAX_EVIDENCE_AGE,
        };
        let unreachable = fail("credential-status", "NodeUnreachable", "connection refused");
        let (check, age) = freshness(&sources, &unreachable, None, 1_800_000_000);
        assert_eq!((check.outcome, age), (Outcome::Skip, None));
        let answered = pass("credential-status", "active (source: node)");
        let (check, age) = freshness(&sources, &answered, None, 1_800_000_000);
        assert_eq!((check.outcome, age), (Outcome::Pass, Some(0)));
    }

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(age_text(-5), "0 s");
        assert_eq!(age_text(59), "59 s");
        assert_eq!(age_text(600), "10 min");
        assert_eq!(age_text(3_600), "1 h");
        assert_eq!(age_text(3_660), "1 h 1 min");
        assert_eq!(age_text(DEFAULT_MAX_EVIDENCE_AGE), "7 d");
        assert_eq!(age_text(90_000), "1 d 1 h");
    }

    #[test]
    fn bare_and_enveloped_presentations_open() {
        let (sd, proof) = open_presentation("abc~def~").expect("bare");
        assert_eq!((sd.as_str(), proof), ("abc~def~", None));
        let p = ProofJson {
            network_id: "00".repeat(32),
            entry: "AQID".into(),
            tree_size: 1,
            inclusion: vec![],
            checkpoint: "x\n".into(),
        };
        let text = envelope_text("abc~def~", Some(p.clone()));
        assert_eq!(
            open_presentation(&text).expect("envelope"),
            ("abc~def~".to_owned(), Some(p))
        );
        assert!(open_presentation(r#"{"format":"other","sd_jwt":"x"}"#).is_err());
    }

    #[test]
    fn an_envelope_holds_exactly_one_presentation_of_either_form() {
        let vp = json!({"type": ["VerifiablePresentation"], "holder": "did:key:z6Mk"});
        let text = di_envelope_text(&vp, None);
        assert_eq!(
            open_envelope(&text).expect("di envelope"),
            (PresentationForm::DataIntegrity(vp.to_string()), None)
        );
        // The SD-JWT-only opener refuses it by name.
        assert!(matches!(
            open_presentation(&text),
            Err(CredentialError::MalformedEnvelope(_))
        ));
        for bad in [
            r#"{"format":"nansen-presentation/1"}"#,
            r#"{"format":"nansen-presentation/1","sd_jwt":"x","vp":{}}"#,
            r#"{"format":"nansen-presentation/1","vp":"not an object"}"#,
        ] {
            assert!(
                matches!(
                    open_envelope(bad),
                    Err(CredentialError::MalformedEnvelope(_))
                ),
                "{bad}"
            );
        }
    }
}
