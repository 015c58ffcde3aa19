//! From checks to a verdict: the order of the checks, the three verdicts, and the report
//! (`nansen verify --json`'s document, and the browser verifier's).
//!
//! A verification runs in three stages, whoever does the I/O ([`finish`]): the presentation's
//! own checks (signatures, binding, challenge), then the ledger checks on what the verifier
//! has, then the replay record (only a presentation that passed everything spends its
//! challenge). The verdict is valid only when every check passed, invalid when one failed
//! (named), and signature only when a ledger check could not run.

use serde_json::{json, Map, Value};

use crate::error::CredentialError;
use crate::ledger_checks::{Detail, IssuerInfo, LedgerReport, Outcome, LEDGER_CHECKS};
use crate::sd_jwt::DisclosedCredential;

/// The checks of an SD-JWT presentation, in the order they run.
pub const CHECKS: &[&str] = &[
    "format",
    "issuer-signature",
    "disclosures",
    "holder-binding",
    "challenge",
    "audience",
    "freshness",
    "integrity",
    "claims",
    "replay",
];

/// The checks of a Data Integrity presentation, in the order they run.
pub const DI_CHECKS: &[&str] = &[
    "format",
    "challenge",
    "audience",
    "freshness",
    "issuer-signature",
    "holder-binding",
    "replay",
];

/// The checks of a bare Data Integrity credential, in the order they run. A credential alone
/// is bound to no challenge: it says nothing about who shows it.
pub const CREDENTIAL_CHECKS: &[&str] = &["format", "issuer-signature"];

/// The check an SD-JWT verification error belongs to.
pub fn check_of(e: &CredentialError) -> &'static str {
    use CredentialError as E;
    match e {
        E::MalformedSdJwt(_)
        | E::MalformedEnvelope(_)
        | E::WrongJwtAlgorithm(_)
        | E::WrongJwtType(_) => "format",
        E::InvalidIssuerSignature | E::InvalidIssuerClaims(_) | E::InvalidDidKey(_) => {
            "issuer-signature"
        }
        E::InvalidPublicKey => "issuer-signature",
        E::UnknownDisclosure(_) => "disclosures",
        E::MissingKeyBinding
        | E::MissingHolderKey
        | E::MalformedKeyBinding(_)
        | E::InvalidKeyBindingSignature => "holder-binding",
        E::NonceMismatch => "challenge",
        E::AudienceMismatch => "audience",
        E::StaleKeyBinding { .. } => "freshness",
        E::SdHashMismatch => "integrity",
        _ => "claims",
    }
}

/// What was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A bare Data Integrity credential (bound to no challenge).
    Credential,
    /// A Data Integrity presentation.
    DataIntegrity,
    /// An SD-JWT VC presentation.
    SdJwt,
}

impl Form {
    /// The form's name in the report (`credential`, `data-integrity`, `sd-jwt`).
    pub fn name(self) -> &'static str {
        match self {
            Form::Credential => "credential",
            Form::DataIntegrity => "data-integrity",
            Form::SdJwt => "sd-jwt",
        }
    }

    /// The form's checks, in the order they run.
    pub fn checks(self) -> &'static [&'static str] {
        match self {
            Form::Credential => CREDENTIAL_CHECKS,
            Form::DataIntegrity => DI_CHECKS,
            Form::SdJwt => CHECKS,
        }
    }
}

/// Whether a presentation text is a Data Integrity presentation (a JSON object whose `type`
/// names `VerifiablePresentation`) rather than an SD-JWT or an envelope.
pub fn is_di_presentation(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('{')
        && serde_json::from_str::<Value>(text).is_ok_and(|v| {
            v.get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.iter().any(|t| t == "VerifiablePresentation"))
        })
}

/// Whether a text is a bare Data Integrity credential (a JSON object whose `type` names
/// `VerifiableCredential`), rather than a presentation.
pub fn is_di_credential(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('{')
        && serde_json::from_str::<Value>(text).is_ok_and(|v| {
            v.get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.iter().any(|t| t == "VerifiableCredential"))
        })
}

/// The three verdicts of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed, the ledger checks included, on evidence within the policy.
    Valid,
    /// A check failed (named beside the verdict).
    Invalid,
    /// The signatures and the holder's binding passed, but the issuer's accreditation or the
    /// credential's status (or both) could not be checked: never shown as valid.
    SignatureOnly,
}

impl Verdict {
    /// The verdict's word in the report.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::SignatureOnly => "signature-only",
        }
    }

    /// The exit code of `nansen verify`: 0 valid, 1 invalid, 3 signature only (2 is an
    /// error before any verdict).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::SignatureOnly => 3,
        }
    }
}

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// Not run: an earlier check failed.
    NotRun,
    /// Not run: the verifier has nothing to check it against.
    Skip,
}

impl CheckState {
    /// The state's word in the report (`pass`, `fail`, `not-run`, `skip`).
    pub fn word(self) -> &'static str {
        match self {
            CheckState::Pass => "pass",
            CheckState::Fail => "fail",
            CheckState::NotRun => "not-run",
            CheckState::Skip => "skip",
        }
    }

    /// The message key of the state (`check-pass`, ...) in the wallet's translations.
    pub fn message_key(self) -> &'static str {
        match self {
            CheckState::Pass => "check-pass",
            CheckState::Fail => "check-fail",
            CheckState::NotRun => "check-not-run",
            CheckState::Skip => "check-skip",
        }
    }
}

/// One check in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    /// The check's name.
    pub name: &'static str,
    /// How it ended.
    pub state: CheckState,
    /// For people: why, or what was found (empty when there is nothing to say).
    pub detail: String,
    /// A failed ledger check's error name (`CredentialRevoked`, ...).
    pub error: Option<String>,
    /// A ledger check's detail as a message with a stable key (without the error name), for
    /// a program to tell it in another language; `None` for the presentation's own checks.
    pub message: Option<Detail>,
    /// A failed presentation check's error (replay included) as a message: its name and the
    /// values of its text, for a program to tell it in another language.
    pub failure: Option<ErrorMessage>,
}

/// A failed presentation check's error as a message: the error's name, which keys its texts
/// (`cred-<name>` in the wallet's catalogue), and the values of its `{0}`, `{1}`...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMessage {
    /// The error's name (`NonceMismatch`, `NonceReused`, ...).
    pub name: &'static str,
    /// The values of its text.
    pub args: Vec<String>,
    /// Its English text (the error's `Display`).
    pub english: String,
}

impl ErrorMessage {
    /// The message of a credential error ([`CredentialError::message_args`]).
    pub fn of(e: &CredentialError) -> ErrorMessage {
        ErrorMessage {
            name: e.name(),
            args: e.message_args(),
            english: e.to_string(),
        }
    }

    /// The replay check's failure: the challenge was used before.
    pub fn nonce_reused() -> ErrorMessage {
        ErrorMessage {
            name: NONCE_REUSED,
            args: Vec::new(),
            english: "this challenge was already used".to_owned(),
        }
    }

    /// `Name: text`, the detail of the check in English.
    pub fn detail(&self) -> String {
        format!("{}: {}", self.name, self.english)
    }
}

/// The error name of a replayed challenge (the `replay` check's failure).
pub const NONCE_REUSED: &str = "NonceReused";

/// Everything a verification found.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was verified.
    pub form: Form,
    /// The verdict.
    pub verdict: Verdict,
    /// The check that failed, if any.
    pub failed: Option<&'static str>,
    /// The presentation's own checks, in [`Form::checks`] order.
    pub checks: Vec<CheckLine>,
    /// The four ledger checks, in [`LEDGER_CHECKS`] order.
    pub ledger_checks: Vec<CheckLine>,
    /// The ledger checks that could not run (skipped): why a verdict is signature only.
    pub unchecked: Vec<&'static str>,
    /// The age of the status evidence (seconds), when there was some.
    pub evidence_age: Option<i64>,
    /// What the credential says, unless a check (replay included) failed.
    pub shown: Option<DisclosedCredential>,
    /// The Data Integrity digest, for that form.
    pub di_digest: Option<[u8; 32]>,
    /// What the ledger checks found (anchor, status, times, sources), if they ran.
    pub ledger_info: Option<Value>,
    /// The issuer's accredited name and jurisdiction, when the ledger named them.
    pub issuer: Option<IssuerInfo>,
}

/// The outcome of a presentation's own checks: what it discloses, or the failed check and
/// its error.
pub type Checked = Result<DisclosedCredential, (&'static str, CredentialError)>;

/// Runs the last two stages of a verification on a presentation whose own checks gave
/// `checked`: the ledger checks (`ledger`, called only when they passed, returns `None` when
/// the verifier has no ledger source and the presentation no proof), then the replay record
/// (`spend`, called only when nothing failed and the form is bound to a challenge; false
/// when the challenge was used before). An error of either callback ends the verification
/// with no verdict, before the challenge is spent.
pub fn finish<E>(
    form: Form,
    checked: Checked,
    di_digest: Option<[u8; 32]>,
    ledger: impl FnOnce(&DisclosedCredential) -> Result<Option<LedgerReport>, E>,
    spend: impl FnOnce() -> Result<bool, E>,
) -> Result<Report, E> {
    let (mut failed, mut failure, disclosed) = match checked {
        Ok(d) => (None, None, Some(d)),
        Err((check, e)) => (Some(check), Some(ErrorMessage::of(&e)), None),
    };
    let ledger_report = match disclosed.as_ref().filter(|_| failed.is_none()) {
        Some(d) => ledger(d)?,
        None => None,
    };
    // A verdict is reached: only now is the challenge spent.
    if form != Form::Credential && failed.is_none() && !spend()? {
        failed = Some("replay");
        failure = Some(ErrorMessage::nonce_reused());
    }
    Ok(assemble(
        form,
        failed.zip(failure),
        disclosed,
        di_digest,
        ledger_report,
    ))
}

/// The report of a verification: `failure` is the failed check of the presentation (replay
/// included) and its error, `ledger` the ledger checks' report when they ran.
pub fn assemble(
    form: Form,
    failure: Option<(&'static str, ErrorMessage)>,
    disclosed: Option<DisclosedCredential>,
    di_digest: Option<[u8; 32]>,
    ledger: Option<LedgerReport>,
) -> Report {
    let failed = failure.as_ref().map(|(f, _)| *f);
    let checks_of_form = form.checks();
    let failed_at = failed.and_then(|f| checks_of_form.iter().position(|c| *c == f));
    let checks = checks_of_form
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (state, failure) = match (failed_at, &failure) {
                (Some(f), Some((_, e))) if i == f => (CheckState::Fail, Some(e.clone())),
                (Some(f), _) if i > f => (CheckState::NotRun, None),
                _ => (CheckState::Pass, None),
            };
            CheckLine {
                name: c,
                state,
                detail: failure
                    .as_ref()
                    .map(ErrorMessage::detail)
                    .unwrap_or_default(),
                error: failure.as_ref().map(|e| e.name.to_owned()),
                message: None,
                failure,
            }
        })
        .collect();
    // Ledger checks not run (presentation failed) or skipped (nothing to check against).
    let ledger_checks: Vec<CheckLine> = match &ledger {
        Some(r) => r
            .checks
            .iter()
            .map(|c| match &c.outcome {
                Outcome::Pass => CheckLine {
                    name: c.name,
                    state: CheckState::Pass,
                    detail: c.detail.clone(),
                    error: None,
                    message: Some(c.message.clone()),
                    failure: None,
                },
                Outcome::Fail(e) => CheckLine {
                    name: c.name,
                    state: CheckState::Fail,
                    detail: format!("{e}: {}", c.detail),
                    error: Some(e.clone()),
                    message: Some(c.message.clone()),
                    failure: None,
                },
                Outcome::Skip => CheckLine {
                    name: c.name,
                    state: CheckState::Skip,
                    detail: c.detail.clone(),
                    error: None,
                    message: Some(c.message.clone()),
                    failure: None,
                },
            })
            .collect(),
        None => LEDGER_CHECKS
            .iter()
            .map(|n| {
                let message = Detail {
                    key: "no-ledger-source",
                    args: Vec::new(),
                    then: Vec::new(),
                    nested: Vec::new(),
                };
                let (state, detail, message) = if failed.is_some() {
                    (CheckState::NotRun, String::new(), None)
                } else {
                    (CheckState::Skip, message.english(), Some(message))
                };
                CheckLine {
                    name: n,
                    state,
                    detail,
                    error: None,
                    message,
                    failure: None,
                }
            })
            .collect(),
    };
    let ledger_failed = ledger_checks
        .iter()
        .find(|c| c.state == CheckState::Fail)
        .map(|c| c.name);
    let failed_name = failed.or(ledger_failed);
    // Ledger checks that could not run: a verdict without them is "signature only", never
    // valid.
    let unchecked: Vec<&'static str> = ledger_checks
        .iter()
        .filter(|c| c.state == CheckState::Skip)
        .map(|c| c.name)
        .collect();
    let verdict = match (failed_name, unchecked.is_empty()) {
        (Some(_), _) => Verdict::Invalid,
        (None, true) => Verdict::Valid,
        (None, false) => Verdict::SignatureOnly,
    };
    let evidence_age = ledger
        .as_ref()
        .and_then(|r| r.info["evidence_age_seconds"].as_i64());
    let issuer = ledger.as_ref().and_then(|r| r.issuer.clone());
    // Claims are shown only under a verdict that vouches for them: valid, or signature only
    // (told with it that issuer and status were not checked). Under invalid (a failed
    // presentation check, replay included, or a failed ledger check: a forged issuer, a
    // revoked credential, stale evidence) nothing the credential says is reported.
    let shown = disclosed.filter(|_| verdict != Verdict::Invalid);
    Report {
        form,
        verdict,
        failed: failed_name,
        checks,
        ledger_checks,
        unchecked,
        evidence_age,
        shown,
        di_digest,
        ledger_info: ledger.map(|r| r.info),
        issuer,
    }
}

impl Report {
    /// The report as `nansen verify --json` prints it (`specs/credentials.md`).
    pub fn to_json(&self) -> Value {
        let mut checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| {
                let mut o = json!({"name": c.name, "result": c.state.word()});
                if let Some(f) = c.failure.as_ref().filter(|_| c.state == CheckState::Fail) {
                    o["detail"] = json!(c.detail);
                    o["error"] = json!(f.name);
                    o["error_args"] = json!(f.args);
                }
                o
            })
            .collect();
        for c in &self.ledger_checks {
            let mut o = json!({"name": c.name, "result": c.state.word(), "detail": c.detail});
            if let Some(e) = &c.error {
                o["error"] = json!(e);
            }
            if let Some(m) = &c.message {
                o["message"] = m.to_json();
            }
            checks.push(o);
        }
        let mut out = json!({
            "verdict": self.verdict.word(),
            "unchecked": self.unchecked,
            "evidence_age_seconds": self.evidence_age,
            "form": self.form.name(),
            "checks": checks,
            "ledger": self.ledger_info.clone().unwrap_or(json!("not-checked")),
        });
        if let Some(d) = &self.shown {
            out["credential"] = json!({
                "id": hex::encode(d.id),
                "kind": d.kind.name(),
                "issuer": d.issuer_did,
                "holder": d.holder_did,
                "issuedAt": d.issued_at,
            });
            match self.di_digest {
                Some(di) => out["credential"]["diDigest"] = json!(hex::encode(di)),
                None => out["credential"]["sdDigest"] = json!(hex::encode(d.sd_digest)),
            }
            out["disclosed"] = Value::Object(d.claims.clone());
        }
        out
    }

    /// The disclosed claims, when shown.
    pub fn claims(&self) -> Option<&Map<String, Value>> {
        self.shown.as_ref().map(|d| &d.claims)
    }
}
