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

/// Where a replica's entries came from, as a check's detail names it (a message of its own,
/// so that it is told in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaSource {
    /// A ledger export file (`nansen verify --ledger FILE`): its path.
    LedgerFile(String),
    /// A node's API (`--node URL`): its URL.
    Node(String),
    /// The ledger export inside the verifier page's trust file.
    TrustFile,
}

impl ReplicaSource {
    /// The message naming the source ([`DETAILS`] keys `source-...`).
    pub fn detail(&self) -> Detail {
        match self {
            ReplicaSource::LedgerFile(path) => msg("source-ledger-file", vec![path.clone()]),
            ReplicaSource::Node(url) => msg("source-node", vec![url.clone()]),
            ReplicaSource::TrustFile => msg("source-trust-file", vec![]),
        }
    }
}

impl std::fmt::Display for ReplicaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail().english())
    }
}

/// A ledger replica the verifier holds for this check.
pub struct Replica {
    /// The core's in-memory ledger, with every entry that validated: the same rules as a
    /// node, no file on disk.
    pub store: MemoryLedger,
    /// Where it came from.
    pub source: ReplicaSource,
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
    source: ReplicaSource,
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
    /// For people: why, or what was found (the [`Detail`] in English).
    pub detail: String,
    /// The same as a message with a stable key, for a program to tell it in another
    /// language.
    pub message: Detail,
}

/// A check's detail as a message: a stable key of [`DETAILS`], its arguments (identifiers,
/// paths, times, counts, and the English text of lower-level errors), and further messages
/// told after it, separated by `; `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// The key (`anchored-by-proof`, ...).
    pub key: &'static str,
    /// The values of `{0}`, `{1}`... in the key's text.
    pub args: Vec<String>,
    /// Messages told after this one.
    pub then: Vec<Detail>,
    /// Arguments that are messages of their own (a ledger's source): (position in `args`,
    /// message); `args` holds their English, a renderer tells them in its language.
    pub nested: Vec<(usize, Detail)>,
}

impl Detail {
    /// The detail told by `fill` (which gives the text of a key with its arguments filled
    /// in), the messages after it joined with `; `.
    pub fn render_with(&self, fill: &dyn Fn(&'static str, &[&str]) -> String) -> String {
        let mut owned = self.args.clone();
        for (at, message) in &self.nested {
            if let Some(arg) = owned.get_mut(*at) {
                *arg = message.render_with(fill);
            }
        }
        let args: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut out = fill(self.key, &args);
        for next in &self.then {
            out.push_str("; ");
            out.push_str(&next.render_with(fill));
        }
        out
    }

    /// The detail as the report's JSON gives it: `{"key", "args", "then": [...]}`
    /// (`specs/credentials.md` 11.4).
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = serde_json::json!({
            "key": self.key,
            "args": self.args,
            "then": self.then.iter().map(Detail::to_json).collect::<Vec<_>>(),
        });
        if !self.nested.is_empty() {
            json["nested"] = self
                .nested
                .iter()
                .map(|(at, message)| {
                    let mut m = message.to_json();
                    m["at"] = (*at).into();
                    m
                })
                .collect();
        }
        json
    }

    /// The detail in English ([`DETAILS`]).
    pub fn english(&self) -> String {
        self.render_with(&|key, args| {
            let template = DETAILS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(key, |(_, t)| *t);
            let mut out = template.to_owned();
            for (i, a) in args.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), a);
            }
            out
        })
    }
}

/// The details the ledger checks give, by key, in English: `{0}`, `{1}`... are the
/// arguments. (A program telling them in another language keys its texts by these keys.)
pub const DETAILS: &[(&str, &str)] = &[
    ("error-text", "{0}"),
    ("no-network", "no network given (--node, or --ledger with --genesis): proof not checked"),
    ("not-in-replica", "no trusted witness key given and {0} does not hold {1} #{2}"),
    ("no-witness", "no trusted witness key given: proof not checked"),
    ("not-anchored-in", "no attestation of this credential id in {0}"),
    ("no-single-attestation", "no single attestation in {0}: {1}"),
    ("no-proof-no-replica", "the presentation carries no ledger proof and no replica was given"),
    ("credential-id-mismatch", "the attestation is for credential {0}, the presentation for {1}"),
    ("sd-digest-mismatch", "the attested sd_digest is not the SHA-256 of the presented issuer JWT"),
    ("di-digest-mismatch", "the attested di_digest is not the SHA-256 of the presented Data Integrity credential (JCS)"),
    ("anchored-by-proof", "{0} #{1} at {2} (portable proof, checkpoint at size {3} cosigned by {4})"),
    ("anchored-entry-in", "{0} #{1} at {2} (the entry is in {3})"),
    ("anchored-found-in", "{0} #{1} at {2} (attestation found in {3})"),
    ("no-replica", "no replica (--node, or --ledger with --genesis)"),
    ("no-registrar-has-key", "no registrar in {0} has the key of {1}"),
    ("key-of-registrar-not-anchored", "the key is registrar {0}'s, but the attestation was not established"),
    ("kind-mismatch", "attested as {0}, presented as {1}"),
    ("signed-by-other-key", "the entry is signed by {0}, the credential's issuer key is {1}"),
    ("may-attest", "{0} ({1}) may attest {2} in {3} (governance size {4})"),
    ("authority-refused", "{0} ({1})"),
    ("source-ledger-file", "ledger file {0}"),
    ("source-node", "node {0}"),
    ("source-trust-file", "the trust file's ledger export"),
    ("status-from", "{0} (source: {1})"),
    ("status-decision-from", "{0} {1} (source: {2})"),
    ("no-node-no-ledger", "no node and no ledger file"),
    ("stale-ledger-file", "{0} holds {1} entries of {2}'s chain, the presentation's checkpoint shows {3}: the status cannot be told from the older evidence; load a newer ledger file or check online"),
    ("checkpoint-cosigned", "checkpoint cosigned {0} ({1} old)"),
    ("checkpoint-anchoring-only", "checkpoint cosigned {0} ({1} old), which proves anchoring, not status"),
    ("no-status-evidence-sources", "no status evidence (no node, no ledger file)"),
    ("no-status-evidence-obtained", "no status evidence was obtained (see credential-status)"),
    ("replica-holds-no-entry", "{0} holds no entry"),
    ("no-status-evidence", "no status evidence"),
    ("evidence-age-node", "evidence age {0} (status asked of node {1} now; policy: at most {2})"),
    ("evidence-age-replica", "evidence age {0} ({1} newest entry {2}; policy: at most {3})"),
    ("no-ledger-source", "no ledger proof, node or ledger file"),
];

/// The detail `key` with `args`.
fn msg(key: &'static str, args: Vec<String>) -> Detail {
    Detail {
        key,
        args,
        then: Vec::new(),
        nested: Vec::new(),
    }
}

/// A message whose argument `at` names a ledger's source: `args` without it, the source's
/// English put in its place and its message kept to be told in the reader's language.
fn sourced(key: &'static str, mut args: Vec<String>, at: usize, source: &ReplicaSource) -> Detail {
    let at = at.min(args.len());
    args.insert(at, source.to_string());
    Detail {
        key,
        args,
        then: Vec::new(),
        nested: vec![(at, source.detail())],
    }
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
    via: Via,
}

/// How an attestation was established: the key of its detail and the arguments after the
/// entry's author, position and time.
struct Via {
    key: &'static str,
    /// Its arguments, the replica's source first when `source` is given.
    args: Vec<String>,
    source: Option<ReplicaSource>,
    /// In English, for `--json`'s `anchor.via`.
    text: String,
}

fn anchored_from_entry(bytes: &[u8], via: Via) -> Result<Anchored, String> {
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

fn fail(name: &'static str, error: &str, message: Detail) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Fail(error.to_owned()),
        detail: message.english(),
        message,
    }
}

fn pass(name: &'static str, message: Detail) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Pass,
        detail: message.english(),
        message,
    }
}

fn skip(name: &'static str, message: Detail) -> CheckResult {
    CheckResult {
        name,
        outcome: Outcome::Skip,
        detail: message.english(),
        message,
    }
}

/// A lower-level error's English text as a detail.
fn error_text(e: impl ToString) -> Detail {
    msg("error-text", vec![e.to_string()])
}

/// Establishes the attestation: from the portable proof (trusted witnesses, or the replica
/// holding the very entry), else from the replica's index of credential ids.
fn anchoring(p: &Presented, d: Digests, s: &Sources) -> (CheckResult, Option<Anchored>) {
    const N: &str = "ledger-anchoring";
    let id = CredentialId(p.id);
    let found = if let Some(proof) = s.proof {
        let portable = match proof.to_portable() {
            Ok(pp) => pp,
            Err(e) => return (fail(N, "MalformedProof", error_text(e)), None),
        };
        if !s.witnesses.is_empty() {
            let Some(network) = s.network else {
                return (skip(N, msg("no-network", vec![])), None);
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
                        via: Via {
                            key: "anchored-by-proof",
                            args: vec![a.tree_size.to_string(), names.join(", ")],
                            source: None,
                            text: format!(
                                "portable proof, checkpoint at size {} cosigned by {}",
                                a.tree_size,
                                names.join(", ")
                            ),
                        },
                    }
                }
                Err(e) => return (fail(N, proof_error_name(&e), error_text(e)), None),
            }
        } else if let Some(r) = s.replica {
            let via = Via {
                key: "anchored-entry-in",
                args: vec![r.source.to_string()],
                source: Some(r.source.clone()),
                text: format!("the entry is in {}", r.source),
            };
            let a = match anchored_from_entry(&portable.entry, via) {
                Ok(a) => a,
                Err(e) => return (fail(N, "MalformedProof", error_text(e)), None),
            };
            match r.store.entry(&a.author, a.seq) {
                Ok(Some(held)) if held == portable.entry => a,
                _ => {
                    return (
                        fail(
                            N,
                            "NotInReplica",
                            sourced(
                                "not-in-replica",
                                vec![a.author.to_string(), a.seq.to_string()],
                                0,
                                &r.source,
                            ),
                        ),
                        None,
                    )
                }
            }
        } else {
            return (skip(N, msg("no-witness", vec![])), None);
        }
    } else if let Some(r) = s.replica {
        match r.store.credential_status(&id) {
            Ok(CredentialStatus::Attested { attestation, .. }) => {
                let via = Via {
                    key: "anchored-found-in",
                    args: vec![r.source.to_string()],
                    source: Some(r.source.clone()),
                    text: format!("attestation found in {}", r.source),
                };
                match anchored_from_entry(&attestation, via) {
                    Ok(a) => a,
                    Err(e) => return (fail(N, "MalformedEntry", error_text(e)), None),
                }
            }
            Ok(CredentialStatus::Unknown) => {
                return (
                    fail(
                        N,
                        "NotAnchored",
                        sourced("not-anchored-in", vec![], 0, &r.source),
                    ),
                    None,
                )
            }
            Ok(other) => {
                return (
                    fail(
                        N,
                        "NotAnchored",
                        sourced(
                            "no-single-attestation",
                            vec![format!("{other:?}")],
                            0,
                            &r.source,
                        ),
                    ),
                    None,
                )
            }
            Err(e) => return (fail(N, "ReplicaError", error_text(e)), None),
        }
    } else {
        return (skip(N, msg("no-proof-no-replica", vec![])), None);
    };
    if found.attestation.credential_id != id {
        return (
            fail(
                N,
                "CredentialIdMismatch",
                msg(
                    "credential-id-mismatch",
                    vec![found.attestation.credential_id.to_string(), id.to_string()],
                ),
            ),
            None,
        );
    }
    if d.sd.is_some_and(|sd| found.attestation.sd_digest.0 != sd) {
        return (
            fail(N, "DigestMismatch", msg("sd-digest-mismatch", vec![])),
            None,
        );
    }
    if d.di.is_some_and(|di| found.attestation.di_digest.0 != di) {
        return (
            fail(N, "DigestMismatch", msg("di-digest-mismatch", vec![])),
            None,
        );
    }
    let mut args = vec![
        found.author.to_string(),
        found.seq.to_string(),
        time_text_ms(found.time_ms),
    ];
    let at = args.len();
    args.extend(found.via.args.iter().cloned());
    let mut detail = msg(found.via.key, args);
    if let Some(source) = &found.via.source {
        detail.nested.push((at, source.detail()));
    }
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
        return skip(N, msg("no-replica", vec![]));
    };
    let state = r.store.state();
    let issuer = PublicKeyBytes(p.issuer_key);
    let Some(a) = anchor else {
        return match state.registrar_by_key(&issuer) {
            None => fail(
                N,
                "IssuerNotAccredited",
                sourced(
                    "no-registrar-has-key",
                    vec![p.issuer_did.to_owned()],
                    0,
                    &r.source,
                ),
            ),
            Some(id) => fail(
                N,
                "NotAnchored",
                msg("key-of-registrar-not-anchored", vec![id.to_string()]),
            ),
        };
    };
    // The attestation must be the one presented (a presentation rule), then the ledger's
    // own answer on the registrar's authority (the validation rules, in the core).
    if a.attestation.kind.name() != p.kind {
        return fail(
            N,
            "KindMismatch",
            msg(
                "kind-mismatch",
                vec![a.attestation.kind.name().to_owned(), p.kind.to_owned()],
            ),
        );
    }
    if a.signer != issuer {
        return fail(
            N,
            "IssuerKeyNotInForce",
            msg(
                "signed-by-other-key",
                vec![a.signer.to_hex(), issuer.to_hex()],
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
                msg(
                    "may-attest",
                    vec![
                        id.to_string(),
                        reg.display_name.clone(),
                        a.attestation.kind.to_string(),
                        a.attestation.jurisdiction.as_str().to_owned(),
                        a.governance_size.to_string(),
                    ],
                ),
            )
        }
        Err(e) => fail(
            N,
            authority_error_name(&e),
            sourced("authority-refused", vec![e.to_string()], 1, &r.source),
        ),
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

fn status_word_check(word: &str, source: &ReplicaSource, extra: &Value) -> CheckResult {
    const N: &str = "credential-status";
    let detail = if extra.is_null() {
        sourced("status-from", vec![word.to_owned()], 1, source)
    } else {
        sourced(
            "status-decision-from",
            vec![word.to_owned(), extra.to_string()],
            2,
            source,
        )
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
        let source = ReplicaSource::Node(node.url.clone());
        return match &node.answer {
            Ok(v) => {
                let word = v["status"].as_str().unwrap_or("unknown").to_owned();
                (
                    status_word_check(&word, &source, &v["decision"]),
                    json!({"status": word, "source": source.to_string(),
                           "decision": v["decision"]}),
                )
            }
            Err(e) => (fail(N, "NodeUnreachable", error_text(e)), Value::Null),
        };
    }
    let Some(r) = s.replica else {
        return (skip(N, msg("no-node-no-ledger", vec![])), Value::Null);
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
                    sourced(
                        "stale-ledger-file",
                        vec![held.to_string(), author.to_string(), carried.to_string()],
                        0,
                        &r.source,
                    ),
                ),
                json!({"status": "unknown", "source": r.source.to_string(),
                       "replica_chain_size": held, "checkpoint_chain_size": carried}),
            );
        }
    }
    let answer = match anchor.and_then(|a| a.author.registrar()) {
        Some(reg) => r.store.credential_status_from(&id, reg),
        None => r.store.credential_status(&id),
    };
    let (word, decision) = match answer {
        Err(e) => return (fail(N, "ReplicaError", error_text(e)), Value::Null),
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
        json!({"status": word, "source": r.source.to_string(), "decision": decision}),
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
    let checkpoint = |key: &'static str| {
        checkpoint_time.map(|t| msg(key, vec![time_text_s(t), age_text(now - t as i64)]))
    };
    if status.outcome == Outcome::Skip {
        let mut detail = msg("no-status-evidence-sources", vec![]);
        detail.then.extend(checkpoint("checkpoint-anchoring-only"));
        return (skip(N, detail), None);
    }
    // A status that could not be obtained (the node went away, the replica failed) is no
    // evidence at all: its age is not "now".
    if matches!(&status.outcome, Outcome::Fail(e) if e == "NodeUnreachable" || e == "ReplicaError")
    {
        return (skip(N, msg("no-status-evidence-obtained", vec![])), None);
    }
    // The evidence's time, and how it was had (the key of the detail and its arguments
    // after the age).
    // How the evidence was had: a key, its arguments, and the replica's source (put before
    // the arguments) when it came from one.
    let (evidence, what) = match (s.node, s.replica) {
        (Some(node), _) => (
            Some(now),
            ("evidence-age-node", vec![node.url.clone()], None),
        ),
        (None, Some(r)) => match r.newest_entry_ms() {
            Some(ms) => (
                Some((ms / 1000) as i64),
                (
                    "evidence-age-replica",
                    vec![time_text_ms(ms)],
                    Some(&r.source),
                ),
            ),
            None => (None, ("replica-holds-no-entry", vec![], Some(&r.source))),
        },
        (None, None) => (None, ("no-status-evidence", vec![], None)),
    };
    let with_source = |key, args: Vec<String>, at, source: Option<&ReplicaSource>| match source {
        Some(source) => sourced(key, args, at, source),
        None => msg(key, args),
    };
    let Some(evidence) = evidence else {
        let (key, how, source) = what;
        return (
            fail(N, "NoStatusEvidence", with_source(key, how, 0, source)),
            None,
        );
    };
    let age = now - evidence;
    // The age, how the evidence was had, the policy.
    let (key, how, source) = what;
    let mut args = vec![age_text(age)];
    args.extend(how);
    args.push(age_text(s.max_evidence_age));
    let mut detail = with_source(key, args, 1, source);
    detail.then.extend(checkpoint("checkpoint-cosigned"));
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
            "via": a.via.text,
        })),
        "status": status_info,
        "checkpoint_time": checkpoint_time.map(time_text_s),
        "ledger_newest_entry_time": newest.map(time_text_ms),
        "replica": s.replica.map(|r| json!({
            "source": r.source.to_string(),
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
        let unreachable = fail(
            "credential-status",
            "NodeUnreachable",
            error_text("connection refused"),
        );
        let (check, age) = freshness(&sources, &unreachable, None, 1_800_000_000);
        assert_eq!((check.outcome, age), (Outcome::Skip, None));
        let answered = pass(
            "credential-status",
            msg("status-from", vec!["active".into(), "node".into()]),
        );
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
