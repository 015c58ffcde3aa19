//! The compact binary envelope (`specs/credentials.md` section 11.2.1): an SD-JWT
//! presentation and its portable ledger proof as CBOR with raw bytes where the text form has
//! base64, so that the border profile with its proof fits one QR code (`NS2:` framing in
//! [`crate::qr_text`]).
//!
//! It is a second spelling of the same text, not a new presentation: [`from_bytes`] gives back
//! the presentation text byte for byte (the JWS parts re-encoded with base64url without
//! padding, the proof's values with standard base64, the envelope written as
//! [`crate::envelope::envelope_text`] writes it), and the verifier checks that text as any
//! other. An envelope is accepted only in its one canonical form: the CBOR must be exactly what
//! [`to_bytes`] makes of the text it decodes to, so no two byte strings carry one presentation
//! and every signed input round-trips exactly.

use std::io::{Read, Write};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use crate::envelope::{envelope_text, open_envelope, PresentationForm, ProofJson};
use crate::qr_text::MAX_PRESENTATION;

/// First byte of the envelope: the CBOR follows as it is.
pub const PLAIN: u8 = 0x00;
/// First byte of the envelope: raw DEFLATE (RFC 1951) of the CBOR follows.
pub const DEFLATED: u8 = 0x01;

/// The prefix of a checkpoint signature line (`specs/checkpoints.md`).
const SIGNATURE_LINE_PREFIX: &str = "\u{2014} ";

/// Why bytes are not a compact envelope, or a text cannot be made into one. Each variant is
/// named by [`CompactError::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    /// The text is not an SD-JWT presentation (bare, or in an envelope) in the form this
    /// envelope spells (for example a Data Integrity presentation): it travels as `NS1`.
    #[error("not compactable: {0}")]
    NotCompactable(String),
    /// No bytes at all (not even the first byte).
    #[error("the envelope is empty")]
    Empty,
    /// The first byte is neither [`PLAIN`] nor [`DEFLATED`].
    #[error("unknown envelope encoding byte {0:#04x}")]
    UnknownEncoding(u8),
    /// The bytes after [`DEFLATED`] are not a complete raw DEFLATE stream.
    #[error("not DEFLATE data")]
    NotDeflate,
    /// The CBOR, or the presentation it holds, is larger than
    /// [`MAX_PRESENTATION`].
    #[error("the envelope is larger than {MAX_PRESENTATION} bytes")]
    TooLarge,
    /// Not one CBOR item of the envelope's shape (truncated, trailing bytes, wrong types,
    /// declared lengths beyond the data).
    #[error("not a compact envelope: {0}")]
    NotCbor(String),
    /// A field has the wrong length or cannot be written as text (a 31-byte hash, a key name
    /// with a space).
    #[error("bad field: {0}")]
    BadField(&'static str),
    /// The CBOR decodes, but is not the canonical envelope of the text it decodes to.
    #[error("the envelope is not in its canonical form")]
    NonCanonical,
}

impl CompactError {
    /// A stable snake_case code naming the variant.
    pub fn code(&self) -> &'static str {
        match self {
            CompactError::NotCompactable(_) => "not_compactable",
            CompactError::Empty => "empty",
            CompactError::UnknownEncoding(_) => "unknown_encoding",
            CompactError::NotDeflate => "not_deflate",
            CompactError::TooLarge => "too_large",
            CompactError::NotCbor(_) => "not_cbor",
            CompactError::BadField(_) => "bad_field",
            CompactError::NonCanonical => "non_canonical",
        }
    }
}

/// A JWS in compact form, each part as the bytes its base64url encodes:
/// `[header, payload, signature]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Jws(ByteBuf, ByteBuf, ByteBuf);

/// The portable proof: `[network id (text, as in the envelope), entry, tree size,
/// [inclusion hash (32 bytes)...], checkpoint body, [[signer name, signature bytes]...]]`.
/// (The network id stays text: the checkpoint's origin line holds the same hex digits, which
/// DEFLATE then writes once.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Proof(
    String,
    ByteBuf,
    u64,
    Vec<ByteBuf>,
    String,
    Vec<(String, ByteBuf)>,
);

/// The envelope: `[issuer JWT, [disclosure...], KB-JWT, proof or null]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Compact(Jws, Vec<ByteBuf>, Jws, Option<Proof>);

fn not(what: &str) -> CompactError {
    CompactError::NotCompactable(what.to_owned())
}

/// base64url without padding, decoded strictly, and only if it encodes back to `text`.
fn b64url(text: &str) -> Result<ByteBuf, CompactError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| not("a part is not base64url"))?;
    if URL_SAFE_NO_PAD.encode(&bytes) != text {
        return Err(not("a part is not canonical base64url"));
    }
    Ok(ByteBuf::from(bytes))
}

/// Standard base64 with padding, decoded strictly, and only if it encodes back to `text`.
fn b64(text: &str) -> Result<ByteBuf, CompactError> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|_| not("a proof value is not base64"))?;
    if STANDARD.encode(&bytes) != text {
        return Err(not("a proof value is not canonical base64"));
    }
    Ok(ByteBuf::from(bytes))
}

fn jws(text: &str) -> Result<Jws, CompactError> {
    let mut parts = text.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok(Jws(b64url(h)?, b64url(p)?, b64url(s)?)),
        _ => Err(not("a JWT is not three dot-separated parts")),
    }
}

fn proof(p: &ProofJson) -> Result<Proof, CompactError> {
    let inclusion = p
        .inclusion
        .iter()
        .map(|h| b64(h))
        .collect::<Result<Vec<_>, _>>()?;
    let (body, signatures) = p
        .checkpoint
        .split_once("\n\n")
        .ok_or_else(|| not("the checkpoint has no blank line"))?;
    let signatures = signatures
        .strip_suffix('\n')
        .ok_or_else(|| not("the checkpoint does not end in a newline"))?
        .split('\n')
        .map(|line| {
            let (name, sig) = line
                .strip_prefix(SIGNATURE_LINE_PREFIX)
                .and_then(|l| l.split_once(' '))
                .ok_or_else(|| not("a checkpoint signature line"))?;
            Ok((name.to_owned(), b64(sig)?))
        })
        .collect::<Result<Vec<_>, CompactError>>()?;
    Ok(Proof(
        p.network_id.clone(),
        b64(&p.entry)?,
        p.tree_size,
        inclusion,
        format!("{body}\n"),
        signatures,
    ))
}

fn compact(text: &str) -> Result<Compact, CompactError> {
    let (form, proof_json) = open_envelope(text).map_err(|e| not(&e.to_string()))?;
    let PresentationForm::SdJwt(sd) = form else {
        return Err(not("a Data Integrity presentation"));
    };
    let parts: Vec<&str> = sd.split('~').collect();
    let [issuer, disclosures @ .., kb] = parts.as_slice() else {
        return Err(not("no SD-JWT"));
    };
    if kb.is_empty() {
        return Err(not("an SD-JWT presentation ends with its KB-JWT"));
    }
    let c = Compact(
        jws(issuer)?,
        disclosures
            .iter()
            .map(|d| b64url(d))
            .collect::<Result<Vec<_>, _>>()?,
        jws(kb)?,
        proof_json.as_ref().map(proof).transpose()?,
    );
    // Only a text this envelope spells back exactly is compacted (not, say, an envelope
    // with spaces, or one carrying no proof: those travel as NS1).
    if render(&c)? != text {
        return Err(not("the text is not in the form the envelope writes back"));
    }
    Ok(c)
}

fn render_jws(j: &Jws) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(&j.0),
        URL_SAFE_NO_PAD.encode(&j.1),
        URL_SAFE_NO_PAD.encode(&j.2)
    )
}

/// The presentation text an envelope spells.
fn render(c: &Compact) -> Result<String, CompactError> {
    let mut sd = render_jws(&c.0);
    sd.push('~');
    for d in &c.1 {
        sd.push_str(&URL_SAFE_NO_PAD.encode(d));
        sd.push('~');
    }
    sd.push_str(&render_jws(&c.2));
    let Some(p) = &c.3 else {
        return Ok(sd);
    };
    if p.3.iter().any(|h| h.len() != 32) {
        return Err(CompactError::BadField("an inclusion hash is not 32 bytes"));
    }
    let mut checkpoint = p.4.clone();
    checkpoint.push('\n');
    for (name, sig) in &p.5 {
        if name.is_empty() || name.contains([' ', '\n']) {
            return Err(CompactError::BadField("a checkpoint signer name"));
        }
        checkpoint.push_str(&format!(
            "{SIGNATURE_LINE_PREFIX}{name} {}\n",
            STANDARD.encode(sig)
        ));
    }
    let proof = ProofJson {
        network_id: p.0.clone(),
        entry: STANDARD.encode(&p.1),
        tree_size: p.2,
        inclusion: p.3.iter().map(|h| STANDARD.encode(h)).collect(),
        checkpoint,
    };
    Ok(envelope_text(&sd, Some(proof)))
}

fn cbor(c: &Compact) -> Vec<u8> {
    // Byte strings, text, integers and arrays: serialising cannot fail.
    serde_cbor::to_vec(c).unwrap_or_default()
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// The canonical CBOR of a presentation text (no first byte, no DEFLATE): what a decoder
/// compares the CBOR it received with.
pub fn canonical_cbor(text: &str) -> Result<Vec<u8>, CompactError> {
    Ok(cbor(&compact(text)?))
}

/// The envelope of a presentation text: [`DEFLATED`] and the DEFLATE of the canonical CBOR
/// when that is shorter, else [`PLAIN`] and the CBOR.
pub fn to_bytes(text: &str) -> Result<Vec<u8>, CompactError> {
    let cbor = canonical_cbor(text)?;
    let deflated = deflate(&cbor);
    let (first, body) = if deflated.len() < cbor.len() {
        (DEFLATED, deflated)
    } else {
        (PLAIN, cbor)
    };
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(first);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The presentation text an envelope carries, byte for byte as the holder's wallet wrote it;
/// refused by name unless the CBOR is the canonical one of that text.
pub fn from_bytes(bytes: &[u8]) -> Result<String, CompactError> {
    let (&first, body) = bytes.split_first().ok_or(CompactError::Empty)?;
    let cbor = match first {
        PLAIN => body.to_vec(),
        DEFLATED => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(body)
                .take(MAX_PRESENTATION as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| CompactError::NotDeflate)?;
            out
        }
        other => return Err(CompactError::UnknownEncoding(other)),
    };
    if cbor.len() > MAX_PRESENTATION {
        return Err(CompactError::TooLarge);
    }
    let c: Compact =
        serde_cbor::from_slice(&cbor).map_err(|e| CompactError::NotCbor(e.to_string()))?;
    let text = render(&c)?;
    if text.len() > MAX_PRESENTATION {
        return Err(CompactError::TooLarge);
    }
    match canonical_cbor(&text) {
        Ok(again) if again == cbor => Ok(text),
        _ => Err(CompactError::NonCanonical),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn b(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A presentation of the right shape (the signatures are not checked here: that is the
    /// verifier's job, on the text this gives back).
    pub(crate) fn sample(proof: bool) -> String {
        let jwt = |h: &str, p: &str, s: u8| {
            format!("{}.{}.{}", b(h.as_bytes()), b(p.as_bytes()), b(&[s; 64]))
        };
        let sd = format!(
            "{}~{}~{}~{}",
            jwt(
                r#"{"alg":"EdDSA","typ":"dc+sd-jwt"}"#,
                r#"{"_sd":["x"],"iss":"did:key:z6Mk"}"#,
                1
            ),
            b(br#"["salt","givenName","Amal"]"#),
            b(br#"["salt2","nationality","SY"]"#),
            jwt(
                r#"{"alg":"EdDSA","typ":"kb+jwt"}"#,
                r#"{"aud":"a","iat":1,"nonce":"n","sd_hash":"h"}"#,
                2
            ),
        );
        if !proof {
            return sd;
        }
        let p = ProofJson {
            network_id: "ab".repeat(32),
            entry: STANDARD.encode([7u8; 200]),
            tree_size: 5,
            inclusion: vec![STANDARD.encode([9u8; 32]), STANDARD.encode([8u8; 32])],
            checkpoint: format!(
                "nansen/x\n5\n{}\n\n\u{2014} w1 {}\n\u{2014} w2 {}\n",
                STANDARD.encode([3u8; 32]),
                STANDARD.encode([4u8; 76]),
                STANDARD.encode([5u8; 76])
            ),
        };
        envelope_text(&sd, Some(p))
    }

    #[test]
    fn an_envelope_gives_back_the_text_byte_for_byte() {
        for proof in [false, true] {
            let text = sample(proof);
            let bytes = to_bytes(&text).expect("compactable");
            assert!(bytes.len() < text.len());
            assert_eq!(from_bytes(&bytes), Ok(text.clone()));
            let mut plain = vec![PLAIN];
            plain.extend(canonical_cbor(&text).expect("cbor"));
            assert_eq!(from_bytes(&plain), Ok(text));
        }
    }

    #[test]
    fn texts_it_cannot_spell_are_not_compacted() {
        let with = sample(true);
        for text in [
            format!("{with} "),
            with.replace(",\"sd_jwt\"", ", \"sd_jwt\""),
            r#"{"format":"nansen-presentation/1","vp":{}}"#.to_owned(),
            "a.b.c~".to_owned(),
            sample(false).replacen('.', "=.", 1),
        ] {
            assert!(
                matches!(to_bytes(&text), Err(CompactError::NotCompactable(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_envelopes_are_refused_by_name() {
        let text = sample(true);
        let cbor = canonical_cbor(&text).expect("cbor");
        let named = |bytes: &[u8]| from_bytes(bytes).map_err(|e| e.code());
        assert_eq!(named(&[]), Err("empty"));
        assert_eq!(named(&[7, 1, 2]), Err("unknown_encoding"));
        assert_eq!(named(&[DEFLATED, 0xff, 0xff]), Err("not_deflate"));
        let mut truncated = vec![PLAIN];
        truncated.extend_from_slice(&cbor[..cbor.len() - 10]);
        assert_eq!(named(&truncated), Err("not_cbor"));
        let mut trailing = vec![PLAIN];
        trailing.extend_from_slice(&cbor);
        trailing.push(0);
        assert_eq!(named(&trailing), Err("not_cbor"));
        // A byte string declaring 2^32 bytes, and an array declaring 2^60 items.
        assert_eq!(
            named(&[PLAIN, 0x84, 0x5a, 0xff, 0xff, 0xff, 0xff, 0]),
            Err("not_cbor")
        );
        assert_eq!(
            named(&[PLAIN, 0x9b, 0x10, 0, 0, 0, 0, 0, 0, 0]),
            Err("not_cbor")
        );
        // The tree size written on 8 bytes instead of 1: same value, not canonical. It comes
        // right after the 200-byte entry (0x58 0xc8, then the bytes).
        let five = serde_cbor::to_vec(&5u64).expect("cbor");
        let long_five = [0x1b, 0, 0, 0, 0, 0, 0, 0, 5];
        let at = cbor
            .windows(2)
            .position(|w| w == [0x58, 200])
            .expect("entry found")
            + 202;
        assert_eq!(&cbor[at..at + 1], five.as_slice());
        let mut long = vec![PLAIN];
        long.extend_from_slice(&cbor[..at]);
        long.extend_from_slice(&long_five);
        long.extend_from_slice(&cbor[at + 1..]);
        assert_eq!(named(&long), Err("non_canonical"));
        // A 31-byte inclusion hash.
        let mut c: Compact = serde_cbor::from_slice(&cbor).expect("decodes");
        if let Some(p) = c.3.as_mut() {
            p.3[0] = ByteBuf::from(vec![0u8; 31]);
        }
        let mut short = vec![PLAIN];
        short.extend(serde_cbor::to_vec(&c).expect("cbor"));
        assert_eq!(named(&short), Err("bad_field"));
        // A signer name with a space could not be written back as the same line.
        let mut c: Compact = serde_cbor::from_slice(&cbor).expect("decodes");
        if let Some(p) = c.3.as_mut() {
            p.5[0].0 = "w 1".into();
        }
        let mut spaced = vec![PLAIN];
        spaced.extend(serde_cbor::to_vec(&c).expect("cbor"));
        assert_eq!(named(&spaced), Err("bad_field"));
        // A bomb: a megabyte and more of zeros, deflated.
        let mut bomb = vec![DEFLATED];
        bomb.extend(deflate(&vec![0u8; MAX_PRESENTATION + 10]));
        assert_eq!(named(&bomb), Err("too_large"));
    }
}
