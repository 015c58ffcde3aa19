//! The browser verifier's one operation (`specs/credentials.md` section 15.2): a request (the
//! presentation text, the challenge and audience the page issued, the clock, the replay
//! record) in, the report of [`crate::verdict`] out, with the same rules as `nansen verify`.
//! The WebAssembly module (crate `nansen-verifier-wasm`) passes both as JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ledger_checks::{self, Digests, PresentationForm, Presented, Sources};
use crate::ledger_checks::{IssuerInfo, LedgerReport};
use crate::sd_jwt::{verify_presentation, KeyBindingRequest};
use crate::trust::{Trust, TrustError, TrustFile};
use crate::verdict::{self, check_of, is_di_credential, is_di_presentation, Form};
use crate::{did, replay};

/// The key-binding window when the request gives none (seconds), as `nansen verify
/// --max-age`'s default.
pub const DEFAULT_KEY_BINDING_WINDOW: i64 = 900;

/// Longest presentation text verified (bytes).
pub const MAX_PRESENTATION_BYTES: usize = 1024 * 1024;

/// One verification asked of the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRequest {
    /// The presentation text (`nansen present`'s output: an envelope or a bare SD-JWT).
    pub presentation: String,
    /// The challenge the page issued.
    pub challenge: String,
    /// The page's audience (the verifier's name).
    pub audience: String,
    /// The clock, Unix seconds.
    pub now: i64,
    /// How old (seconds) the holder's signature may be; [`DEFAULT_KEY_BINDING_WINDOW`] if
    /// absent.
    #[serde(default)]
    pub max_age: Option<i64>,
    /// The replay record for this audience ([`crate::replay`]), empty when new.
    #[serde(default)]
    pub replay_record: String,
}

/// A named error that stopped the verification before any verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageError {
    /// The error's name (`UnsupportedForm`, `MalformedRequest`, a trust file error's name).
    pub name: String,
    /// For people.
    pub message: String,
}

/// The page's answer.
#[derive(Debug, Clone, Serialize)]
pub struct PageAnswer {
    /// The report, as `nansen verify --json` prints it; absent on an error.
    pub report: Option<Value>,
    /// The issuer's accredited name and jurisdiction, when the ledger named them.
    pub issuer: Option<IssuerInfo>,
    /// The evidence's age for people (`3 d 4 h`), when there was status evidence.
    pub evidence_age_text: Option<String>,
    /// The replay record to keep, when this verification spent the challenge.
    pub replay_record: Option<String>,
    /// Why there is no verdict.
    pub error: Option<PageError>,
}

impl PageAnswer {
    fn error(name: &str, message: impl Into<String>) -> PageAnswer {
        PageAnswer {
            report: None,
            issuer: None,
            evidence_age_text: None,
            replay_record: None,
            error: Some(PageError {
                name: name.to_owned(),
                message: message.into(),
            }),
        }
    }
}

/// A verifier holding its trust (the trust file opened once: its export ingested once).
pub struct PageVerifier {
    trust: Option<Trust>,
}

impl PageVerifier {
    /// A verifier with no trust file: every verdict is at best signature only.
    pub fn untrusting() -> PageVerifier {
        PageVerifier { trust: None }
    }

    /// A verifier trusting what `trust_text` (a trust file) says.
    pub fn new(trust_text: &str) -> Result<PageVerifier, TrustError> {
        Ok(PageVerifier {
            trust: Some(TrustFile::parse(trust_text)?.open()?),
        })
    }

    /// What the trust says, for the page to show (network, witnesses, policy, export).
    pub fn trust_summary(&self) -> Value {
        match &self.trust {
            None => Value::Null,
            Some(t) => serde_json::json!({
                "network_id": t.network.to_hex(),
                "witnesses": t.witnesses.iter().map(|w| w.name().to_owned()).collect::<Vec<_>>(),
                "max_evidence_age_seconds": t.max_evidence_age,
                "max_evidence_age_text": ledger_checks::age_text(t.max_evidence_age),
                "ledger_entries": t.replica.as_ref().map(|r| r.counts.1),
                "ledger_newest_entry_ms": t.replica.as_ref().and_then(|r| r.newest_entry_ms()),
            }),
        }
    }

    /// Verifies one presentation (request JSON text) into the answer.
    pub fn verify_json(&self, request: &str) -> PageAnswer {
        match serde_json::from_str::<PageRequest>(request) {
            Ok(r) => self.verify(&r),
            Err(e) => PageAnswer::error("MalformedRequest", e.to_string()),
        }
    }

    /// Verifies one presentation: the checks of `nansen verify` for an SD-JWT presentation,
    /// the ledger checks on this verifier's trust and the proof the presentation carries,
    /// then the replay record. A Data Integrity presentation or credential is named, not
    /// checked.
    pub fn verify(&self, r: &PageRequest) -> PageAnswer {
        if r.presentation.len() > MAX_PRESENTATION_BYTES {
            return PageAnswer::error(
                "PresentationTooLarge",
                format!("a presentation is at most {MAX_PRESENTATION_BYTES} bytes"),
            );
        }
        let decoded = match scanned_text(r.presentation.trim()) {
            Ok(t) => t,
            Err(e) => return PageAnswer::error("BadQrText", e.to_string()),
        };
        let text = decoded.as_deref().unwrap_or(r.presentation.trim());
        let opened = if is_di_credential(text) || is_di_presentation(text) {
            None
        } else {
            match ledger_checks::open_envelope(text) {
                Ok((PresentationForm::DataIntegrity(_), _)) => None,
                Ok((PresentationForm::SdJwt(sd), proof)) => Some(Ok((sd, proof))),
                Err(e) => Some(Err(e)),
            }
        };
        let Some(opened) = opened else {
            return PageAnswer::error(
                "UnsupportedForm",
                "Data Integrity presentations are checked by `nansen verify`, not in this page",
            );
        };
        let max_age = r.max_age.unwrap_or(DEFAULT_KEY_BINDING_WINDOW);
        let request = KeyBindingRequest {
            nonce: &r.challenge,
            audience: &r.audience,
            now: r.now,
            max_age_secs: max_age,
        };
        let (checked, proof) = match opened {
            Ok((sd, proof)) => (
                verify_presentation(&sd, &request).map_err(|e| (check_of(&e), e)),
                proof,
            ),
            Err(e) => (Err(("format", e)), None),
        };
        let trust = self.trust.as_ref();
        let ledger = |d: &crate::sd_jwt::DisclosedCredential| -> Result<Option<LedgerReport>, crate::CredentialError> {
            if trust.is_none() && proof.is_none() {
                return Ok(None);
            }
            let presented = Presented {
                id: d.id,
                sd_digest: d.sd_digest,
                issuer_did: &d.issuer_did,
                issuer_key: did::public_key_from_did_key(&d.issuer_did)?,
                kind: d.kind.name(),
            };
            let sources = Sources {
                proof: proof.as_ref(),
                network: trust.map(|t| t.network),
                witnesses: trust.map_or(&[][..], |t| &t.witnesses),
                replica: trust.and_then(|t| t.replica.as_ref()),
                node: None,
                max_evidence_age: trust.map_or(ledger_checks::DEFAULT_MAX_EVIDENCE_AGE, |t| {
                    t.max_evidence_age
                }),
            };
            let digests = Digests {
                di: None,
                sd: Some(d.sd_digest),
            };
            Ok(Some(ledger_checks::run_checks_matching(
                &presented, digests, &sources, r.now,
            )))
        };
        let mut new_record = None;
        let spend = || {
            new_record = replay::spend(&r.replay_record, &r.challenge, r.now, max_age);
            Ok(new_record.is_some())
        };
        match verdict::finish(Form::SdJwt, checked, None, ledger, spend) {
            Ok(report) => PageAnswer {
                report: Some(report.to_json()),
                issuer: report.issuer.clone(),
                evidence_age_text: report.evidence_age.map(ledger_checks::age_text),
                replay_record: new_record,
                error: None,
            },
            Err(e) => PageAnswer::error(e.name(), e.to_string()),
        }
    }
}

/// The presentation carried by scanned QR text (`NS1` or `NS2` parts, one per line:
/// [`nansen_wire::qr_text::decode_any_parts`]); `None` for a text that is not QR parts.
fn scanned_text(text: &str) -> Result<Option<String>, nansen_wire::qr_text::BadQrText> {
    if nansen_wire::qr_text::framing_version(text).is_some() {
        return nansen_wire::qr_text::decode_any_parts(text).map(Some);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger::fixtures::TestNetwork;

    fn request(presentation: &str) -> String {
        serde_json::json!({
            "presentation": presentation,
            "challenge": "c0ffee",
            "audience": "border-post-7",
            "now": 1_800_000_000i64,
        })
        .to_string()
    }

    fn error_name(answer: &PageAnswer) -> Option<&str> {
        answer.error.as_ref().map(|e| e.name.as_str())
    }

    #[test]
    fn bad_requests_and_unsupported_forms_are_named_not_judged() {
        let page = PageVerifier::untrusting();
        assert_eq!(
            error_name(&page.verify_json("not json")),
            Some("MalformedRequest")
        );
        let vp = r#"{"type":["VerifiablePresentation"],"holder":"did:key:z6Mk"}"#;
        let answer = page.verify_json(&request(vp));
        assert_eq!(error_name(&answer), Some("UnsupportedForm"));
        assert!(answer.report.is_none() && answer.replay_record.is_none());
        let huge = "a".repeat(MAX_PRESENTATION_BYTES + 1);
        assert_eq!(
            error_name(&page.verify_json(&request(&huge))),
            Some("PresentationTooLarge")
        );
        // Text that is no presentation at all: a verdict, invalid at `format`, and the
        // challenge not spent.
        let answer = page.verify_json(&request("garbage~"));
        let report = answer.report.expect("a report");
        assert_eq!(report["verdict"], "invalid");
        assert_eq!(report["checks"][0]["name"], "format");
        assert_eq!(report["checks"][0]["result"], "fail");
        assert!(answer.replay_record.is_none());
    }

    /// The border presentation of the compact envelope's test vector, read by the page from
    /// its `NS2` text as from the presentation text: the same report (no trust file: every
    /// presentation check passes, the verdict is signature only). A bad set is `BadQrText`.
    #[test]
    fn the_page_reads_ns2_and_ns1_codes_as_the_presentation() {
        use base64::Engine as _;
        let vector: Value =
            serde_json::from_str(include_str!("../../wire/tests/vectors/ns2-border.json"))
                .expect("vector");
        let text = vector["presentation"].as_str().expect("presentation");
        let ns2 = vector["ns2_parts"][0].as_str().expect("one part");
        let sd_jwt: Value = serde_json::from_str(text).expect("envelope");
        let kb = sd_jwt["sd_jwt"]
            .as_str()
            .expect("sd_jwt")
            .rsplit('~')
            .next();
        let kb_payload = kb.and_then(|k| k.split('.').nth(1)).expect("KB-JWT");
        let kb: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(kb_payload)
                .expect("base64url"),
        )
        .expect("KB payload");
        let page = PageVerifier::untrusting();
        let ask = |presentation: &str| {
            page.verify_json(
                &serde_json::json!({
                    "presentation": presentation,
                    "challenge": kb["nonce"],
                    "audience": kb["aud"],
                    "now": kb["iat"],
                })
                .to_string(),
            )
        };
        let ns1 = nansen_wire::qr_text::encode_parts(text).join("\n");
        for presentation in [text, ns2, ns1.as_str()] {
            // (The ledger checks are skipped: this page has no trust file.)
            let answer = ask(presentation);
            let report = answer.report.expect("a report");
            assert_eq!(report["verdict"], "signature-only", "{report}");
            let checks = report["checks"].as_array().expect("checks");
            for c in checks.iter().filter(|c| {
                crate::verdict::CHECKS.contains(&c["name"].as_str().unwrap_or_default())
            }) {
                assert_eq!(c["result"], "pass", "{c}");
            }
            assert_eq!(checks.len(), crate::verdict::CHECKS.len() + 4);
            assert_eq!(report["disclosed"]["countryOfOrigin"], "SY");
        }
        // Each check's detail as a message: the skipped ledger checks by their detail key, a
        // failed presentation check by its error's name and values; and under invalid the
        // claims are not reported.
        let answer = ask(text);
        let report = answer.report.expect("a report");
        let checks = report["checks"].as_array().expect("checks");
        let ledger_check = checks
            .iter()
            .find(|c| c["name"] == "ledger-anchoring")
            .expect("ledger-anchoring");
        assert_eq!(ledger_check["message"]["key"], "no-witness");
        assert_eq!(ledger_check["message"]["args"], serde_json::json!([]));
        let wrong = page.verify_json(
            &serde_json::json!({
                "presentation": text, "challenge": "0000", "audience": kb["aud"], "now": kb["iat"],
            })
            .to_string(),
        );
        let report = wrong.report.expect("a report");
        assert_eq!(report["verdict"], "invalid");
        let challenge = &report["checks"][4];
        assert_eq!(challenge["name"], "challenge");
        assert_eq!(challenge["error"], "NonceMismatch");
        assert_eq!(challenge["error_args"], serde_json::json!([]));
        assert!(challenge["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("NonceMismatch: ")));
        assert!(report.get("disclosed").is_none() && report.get("credential").is_none());
        let stale = page.verify_json(
            &serde_json::json!({
                "presentation": text, "challenge": kb["nonce"], "audience": kb["aud"],
                "now": kb["iat"].as_i64().unwrap_or_default() + 100_000,
            })
            .to_string(),
        );
        let report = stale.report.expect("a report");
        let freshness = &report["checks"][6];
        assert_eq!(freshness["error"], "StaleKeyBinding", "{report}");
        assert_eq!(freshness["error_args"][0], kb["iat"].to_string());
        // A trust file of another network with its (empty) ledger: a ledger check fails,
        // nothing the credential says is reported.
        let net = TestNetwork::new(3, 2);
        let genesis = net.genesis.to_bytes().expect("genesis bytes");
        let trust = TrustFile::new(&genesis, Vec::new(), None, Some((&[][..], 0))).expect("opens");
        let other =
            PageVerifier::new(&serde_json::to_string(&trust).expect("json")).expect("opens");
        let answer = other.verify_json(
            &serde_json::json!({
                "presentation": text, "challenge": kb["nonce"], "audience": kb["aud"],
                "now": kb["iat"],
            })
            .to_string(),
        );
        let report = answer.report.expect("a report");
        assert_eq!(report["verdict"], "invalid", "{report}");
        assert!(
            report.get("disclosed").is_none() && report.get("credential").is_none(),
            "{report}"
        );
        let failed: Vec<&Value> = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .filter(|c| c["result"] == "fail")
            .collect();
        assert!(!failed.is_empty() && failed.iter().all(|c| c["message"]["key"].is_string()));
        let mut bad = ns2.to_owned();
        bad.truncate(ns2.len() - 40);
        assert_eq!(error_name(&ask(&bad)), Some("BadQrText"));
        assert_eq!(
            error_name(&ask(&ns2.replacen("NS2:", "NS7:", 1))),
            Some("BadQrText")
        );
    }

    #[test]
    fn a_trust_file_opens_only_when_every_part_checks() {
        let net = TestNetwork::new(3, 2);
        let genesis = net.genesis.to_bytes().expect("genesis bytes");
        let good = TrustFile::new(&genesis, Vec::new(), None, None).expect("opens");
        assert_eq!(good.network_id, net.network.to_hex());
        let text = serde_json::to_string(&good).expect("json");
        let page = PageVerifier::new(&text).expect("the page opens it");
        assert_eq!(
            page.trust_summary()["network_id"],
            serde_json::json!(net.network.to_hex())
        );
        let refused = |file: &TrustFile| {
            let text = serde_json::to_string(file).expect("json");
            PageVerifier::new(&text).err().map(|e| e.name())
        };
        let mut other = good.clone();
        other.network_id = "00".repeat(32);
        assert_eq!(refused(&other), Some("NetworkMismatch"));
        let mut other = good.clone();
        other.format = "nansen-verifier-trust/9".into();
        assert_eq!(refused(&other), Some("UnknownTrustFormat"));
        let mut other = good.clone();
        other.genesis = "not base64!".into();
        assert_eq!(refused(&other), Some("BadGenesis"));
        let mut other = good.clone();
        other.witnesses = vec!["not a key".into()];
        assert_eq!(refused(&other), Some("BadWitnessKey"));
        let mut other = good.clone();
        other.max_evidence_age_seconds = -1;
        assert_eq!(refused(&other), Some("BadFreshnessPolicy"));
        let mut other = good.clone();
        other.ledger = Some("%%%".into());
        assert_eq!(refused(&other), Some("BadLedgerExport"));
        assert_eq!(
            PageVerifier::new("[1]").err().map(|e| e.name()),
            Some("MalformedTrustFile")
        );
    }
}
