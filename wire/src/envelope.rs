//! The presentation envelope (`specs/credentials.md`, "presentation
//! envelope"): one presentation, SD-JWT or Data Integrity, and optionally the
//! portable ledger proof of its credential's attestation, as one line of JSON.
//! A bare SD-JWT presentation (text not starting with `{`) is read as an
//! envelope without a proof.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ledger::portable::PortableProof;
use ledger::types::Hash32;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of a presentation envelope.
pub const ENVELOPE_FORMAT: &str = "nansen-presentation/1";

/// Why a presentation text is not a presentation envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Not JSON, or JSON of another shape (unknown or missing fields, nesting
    /// deeper than the JSON reader allows).
    #[error("not a presentation envelope: {0}")]
    NotJson(String),
    /// The `format` is not [`ENVELOPE_FORMAT`].
    #[error("unknown envelope format {0:?}")]
    UnknownFormat(String),
    /// Not exactly one of `sd_jwt` (a string) and `vp` (an object).
    #[error("an envelope holds exactly one of sd_jwt (a string) and vp (an object)")]
    NotOnePresentation,
}

impl EnvelopeError {
    /// A stable snake_case code naming the variant.
    pub fn code(&self) -> &'static str {
        match self {
            EnvelopeError::NotJson(..) => "not_json",
            EnvelopeError::UnknownFormat(..) => "unknown_format",
            EnvelopeError::NotOnePresentation => "not_one_presentation",
        }
    }
}

/// A presentation envelope: one presentation (SD-JWT, or Data Integrity) and, optionally,
/// the portable proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Always [`ENVELOPE_FORMAT`].
    pub format: String,
    /// The SD-JWT presentation (`<issuer JWT>~<disclosures>~<KB-JWT>`); or absent, with `vp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_jwt: Option<String>,
    /// The Data Integrity presentation (a `VerifiablePresentation` object); or absent, with
    /// `sd_jwt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vp: Option<Value>,
    /// The portable ledger proof of the credential's attestation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger_proof: Option<ProofJson>,
}

/// The presentation inside a presentation text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresentationForm {
    /// An SD-JWT presentation (the text).
    SdJwt(String),
    /// A Data Integrity presentation (its JSON text).
    DataIntegrity(String),
}

/// The portable proof as JSON (binary values in standard base64 with padding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofJson {
    /// The network id (hex): the SHA-256 of the genesis document.
    pub network_id: String,
    /// The signed attestation entry, exactly as stored.
    pub entry: String,
    /// The tree size of the inclusion proof and checkpoint.
    pub tree_size: u64,
    /// RFC 9162 inclusion proof hashes.
    pub inclusion: Vec<String>,
    /// The cosigned checkpoint note at `tree_size`.
    pub checkpoint: String,
}

impl ProofJson {
    /// The ledger's form of the proof (base64 decoded; an inclusion hash that
    /// is not 32 bytes is refused). Checking it is the ledger's job
    /// ([`PortableProof::verify`]).
    pub fn to_portable(&self) -> Result<PortableProof, String> {
        let b64 = |s: &str| STANDARD.decode(s).map_err(|e| format!("base64: {e}"));
        let inclusion = self
            .inclusion
            .iter()
            .map(|h| {
                let bytes: [u8; 32] = b64(h)?
                    .try_into()
                    .map_err(|_| "an inclusion hash is not 32 bytes".to_owned())?;
                Ok(Hash32(bytes))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(PortableProof {
            entry: b64(&self.entry)?,
            tree_size: self.tree_size,
            inclusion,
            checkpoint: self.checkpoint.clone(),
        })
    }
}

/// Splits a presentation text into the presentation and the proof it carries: a bare SD-JWT
/// presentation (text not starting with `{`), or an envelope holding exactly one of `sd_jwt`
/// and `vp`. (A bare Data Integrity presentation is a JSON object, not an envelope: callers
/// tell it apart first.)
pub fn open_envelope(text: &str) -> Result<(PresentationForm, Option<ProofJson>), EnvelopeError> {
    let text = text.trim();
    if !text.starts_with('{') {
        return Ok((PresentationForm::SdJwt(text.to_owned()), None));
    }
    let envelope: Envelope =
        serde_json::from_str(text).map_err(|e| EnvelopeError::NotJson(e.to_string()))?;
    if envelope.format != ENVELOPE_FORMAT {
        return Err(EnvelopeError::UnknownFormat(envelope.format));
    }
    let form = match (envelope.sd_jwt, envelope.vp) {
        (Some(sd), None) => PresentationForm::SdJwt(sd),
        (None, Some(vp @ Value::Object(_))) => PresentationForm::DataIntegrity(vp.to_string()),
        _ => return Err(EnvelopeError::NotOnePresentation),
    };
    Ok((form, envelope.ledger_proof))
}

/// The envelope text (one line of JSON) of an SD-JWT presentation and its proof.
pub fn envelope_text(sd_jwt: &str, proof: Option<ProofJson>) -> String {
    to_line(&Envelope {
        format: ENVELOPE_FORMAT.into(),
        sd_jwt: Some(sd_jwt.to_owned()),
        vp: None,
        ledger_proof: proof,
    })
}

/// The envelope text (one line of JSON) of a Data Integrity presentation and its proof.
pub fn di_envelope_text(vp: &Value, proof: Option<ProofJson>) -> String {
    to_line(&Envelope {
        format: ENVELOPE_FORMAT.into(),
        sd_jwt: None,
        vp: Some(vp.clone()),
        ledger_proof: proof,
    })
}

fn to_line(envelope: &Envelope) -> String {
    // Strings, numbers and JSON values only: serialising cannot fail.
    serde_json::to_string(envelope).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof() -> ProofJson {
        ProofJson {
            network_id: "00".repeat(32),
            entry: STANDARD.encode([1, 2, 3]),
            tree_size: 3,
            inclusion: vec![STANDARD.encode([9u8; 32])],
            checkpoint: "nansen/x\n3\nAAAA\n\n".into(),
        }
    }

    #[test]
    fn an_envelope_opens_to_what_was_put_in() {
        let text = envelope_text("a~b~c", Some(proof()));
        assert_eq!(
            open_envelope(&text),
            Ok((PresentationForm::SdJwt("a~b~c".into()), Some(proof())))
        );
        let vp = serde_json::json!({"type": ["VerifiablePresentation"]});
        let (form, p) = open_envelope(&di_envelope_text(&vp, None)).expect("opens");
        assert_eq!(form, PresentationForm::DataIntegrity(vp.to_string()));
        assert_eq!(p, None);
        assert_eq!(
            open_envelope("  a~b~c\n"),
            Ok((PresentationForm::SdJwt("a~b~c".into()), None))
        );
    }

    #[test]
    fn bad_envelopes_are_named() {
        let wrong_format = r#"{"format":"other/1","sd_jwt":"x"}"#;
        assert_eq!(
            open_envelope(wrong_format),
            Err(EnvelopeError::UnknownFormat("other/1".into()))
        );
        let both = r#"{"format":"nansen-presentation/1","sd_jwt":"x","vp":{}}"#;
        assert_eq!(open_envelope(both), Err(EnvelopeError::NotOnePresentation));
        let vp_string = r#"{"format":"nansen-presentation/1","vp":"x"}"#;
        assert_eq!(
            open_envelope(vp_string),
            Err(EnvelopeError::NotOnePresentation)
        );
        for bad in ["{", r#"{"format":"nansen-presentation/1","extra":1}"#] {
            assert!(matches!(open_envelope(bad), Err(EnvelopeError::NotJson(_))));
        }
        let deep = format!("{}{}", "{\"vp\":".repeat(10_000), "}".repeat(10_000));
        assert!(matches!(
            open_envelope(&deep),
            Err(EnvelopeError::NotJson(_))
        ));
    }

    #[test]
    fn a_proof_with_a_short_hash_is_refused() {
        let mut p = proof();
        p.inclusion = vec![STANDARD.encode([9u8; 31])];
        assert!(p.to_portable().is_err());
        assert_eq!(proof().to_portable().expect("decodes").tree_size, 3);
    }
}
