//! A presentation as the text of QR codes: DEFLATE-compressed, base45-encoded
//! (RFC 9285, whose alphabet is the QR alphanumeric set), split into parts of
//! at most [`PART_CHARS`] characters, each part prefixed `NS1:<i>/<n>:`
//! (1-based). A reader collects every part, in any order, and joins them.
//! Parts are separated by newlines (base45 itself uses spaces).
//!
//! An SD-JWT presentation travels instead as the compact binary envelope
//! ([`crate::compact`]), base45-encoded, in parts of at most [`NS2_PART_CHARS`]
//! characters prefixed `NS2:<i>/<n>:` ([`presentation_parts`]); a reader takes
//! either framing ([`decode_any_parts`]).

use std::io::{Read, Write};

use crate::compact::CompactError;

/// Base45 characters per QR code (fits version 25 or so at error correction M).
pub const PART_CHARS: usize = 1000;
/// Most base45 characters in one `NS2` part: with its prefix (at most `NS2:64/64:`, 10
/// characters) a part fits a version 40 code at error correction L (4,296 alphanumeric
/// characters), with room for the encoder's mode changes. A presentation is one code whenever
/// that holds it; the code's version is what its size needs (the border profile with its
/// proof: see `specs/credentials.md` 11.2.1). A longer one is cut into equal parts.
pub const NS2_PART_CHARS: usize = 4000;
/// Largest decompressed presentation accepted.
pub const MAX_PRESENTATION: usize = 1 << 20;
/// Most parts one presentation may be split into.
pub const MAX_PARTS: usize = 64;

/// Why a text is not a complete, consistent `NS1` set of parts (the reason,
/// in words, for a person).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad QR text: {0}")]
pub struct BadQrText(pub String);

/// Compresses and encodes `presentation` into prefixed parts.
pub fn encode_parts(presentation: &str) -> Vec<String> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(presentation.as_bytes());
    let compressed = enc.finish().unwrap_or_default();
    frame("NS1", &base45::encode(&compressed), PART_CHARS)
}

/// `text` cut into chunks of at most `size` characters, each prefixed `<prefix>:<i>/<n>:`.
fn frame(prefix: &str, text: &str, size: usize) -> Vec<String> {
    // base45 text is ASCII, so every byte boundary is a character boundary.
    let chunks: Vec<&str> = text
        .as_bytes()
        .chunks(size)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let n = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{prefix}:{}/{}:{}", i + 1, n, c))
        .collect()
}

/// The `NS2` parts of a presentation: its compact envelope ([`crate::compact::to_bytes`]),
/// base45-encoded and cut into chunks of at most [`NS2_PART_CHARS`].
pub fn encode_ns2_parts(presentation: &str) -> Result<Vec<String>, CompactError> {
    let text = base45::encode(&crate::compact::to_bytes(presentation)?);
    // As few parts as NS2_PART_CHARS allows, of equal length (the last shorter by the
    // remainder), so that no code is larger than it needs to be.
    let parts = text.len().div_ceil(NS2_PART_CHARS).max(1);
    Ok(frame("NS2", &text, text.len().div_ceil(parts).max(1)))
}

/// The QR parts of a presentation: `NS2` when it has a compact envelope (an SD-JWT
/// presentation, bare or with its proof), else `NS1` (a Data Integrity presentation).
pub fn presentation_parts(presentation: &str) -> Vec<String> {
    encode_ns2_parts(presentation).unwrap_or_else(|_| encode_parts(presentation))
}

/// The framing of a set of parts, from the prefix of its first non-empty line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `NS1:`: DEFLATE of the text, base45.
    Ns1,
    /// `NS2:`: the compact envelope, base45.
    Ns2,
}

/// Which framing `text` (parts, one per line) uses; `None` when its first part starts with
/// neither `NS1:` nor `NS2:`.
pub fn framing(text: &str) -> Option<Framing> {
    let first = text
        .lines()
        .find(|l| !l.trim_end_matches('\r').is_empty())?;
    if first.starts_with("NS1:") {
        Some(Framing::Ns1)
    } else if first.starts_with("NS2:") {
        Some(Framing::Ns2)
    } else {
        None
    }
}

/// The version digits of a text that starts (after white space) as QR parts do, `NS<digits>:`
/// (`"1"` for `NS1:...`), whether or not this reader knows the version; `None` for any other
/// text (a bare SD-JWT, a JSON envelope).
pub fn framing_version(text: &str) -> Option<&str> {
    text.trim_start()
        .strip_prefix("NS")
        .and_then(|r| r.split_once(':'))
        .map(|(v, _)| v)
        .filter(|v| !v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit()))
}

/// Joins parts of either framing (one per line, any order, all of one framing) back into the
/// presentation text. An `NS2` set gives the text its compact envelope spells
/// ([`crate::compact::from_bytes`]); a prefix naming another version (`NS3:`, ...) is refused
/// as unknown.
pub fn decode_any_parts(text: &str) -> Result<String, BadQrText> {
    match framing(text) {
        Some(Framing::Ns1) => decode_parts(text),
        Some(Framing::Ns2) => {
            let bytes = join_parts(text, "NS2:")?;
            let bytes = base45::decode(&bytes).map_err(|_| BadQrText("not base45".into()))?;
            crate::compact::from_bytes(&bytes)
                .map_err(|e| BadQrText(format!("NS2 envelope {}: {e}", e.code())))
        }
        None => Err(BadQrText(match framing_version(text) {
            Some(v) => format!("unknown framing version NS{v}"),
            None => "missing NS1: or NS2: prefix".into(),
        })),
    }
}

/// Joins parts (one per line, any order; empty lines ignored) back into the presentation.
/// Lines are not trimmed, except for a trailing carriage return: space is a base45 character.
pub fn decode_parts(text: &str) -> Result<String, BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let joined = join_parts(text, "NS1:")?;
    let compressed = base45::decode(&joined).map_err(|_| bad("not base45"))?;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(compressed.as_slice())
        .take(MAX_PRESENTATION as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| bad("not DEFLATE data"))?;
    if out.len() > MAX_PRESENTATION {
        return Err(bad("presentation too large"));
    }
    String::from_utf8(out).map_err(|_| bad("not UTF-8"))
}

/// The bodies of parts prefixed `<prefix><i>/<n>:` (one per line, any order; empty lines
/// ignored), joined by index: every part present once, all agreeing on `n`.
fn join_parts(text: &str, prefix: &str) -> Result<String, BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let mut parts: Vec<Option<String>> = Vec::new();
    for token in text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if token.is_empty() {
            continue;
        }
        let (i, n, body) = split_part(token, prefix)?;
        if parts.is_empty() {
            parts = vec![None; n];
        } else if parts.len() != n {
            return Err(bad("parts disagree on their count"));
        }
        if parts[i - 1].replace(body.to_owned()).is_some() {
            return Err(bad("duplicate part"));
        }
    }
    if parts.is_empty() {
        return Err(bad("no parts"));
    }
    let mut joined = String::new();
    for (i, p) in parts.iter().enumerate() {
        joined.push_str(
            p.as_deref()
                .ok_or_else(|| bad(&format!("part {} missing", i + 1)))?,
        );
    }
    Ok(joined)
}

/// A part's `<prefix><i>/<n>:` prefix (`NS1:` or `NS2:`) read and checked
/// (`1 <= i <= n <= MAX_PARTS`): `(i, n, body)`.
fn split_part<'t>(token: &'t str, prefix: &str) -> Result<(usize, usize, &'t str), BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let rest = token
        .strip_prefix(prefix)
        .ok_or_else(|| BadQrText(format!("missing {prefix} prefix")))?;
    let (index, rest) = rest.split_once('/').ok_or_else(|| bad("missing i/n"))?;
    let (count, body) = rest.split_once(':').ok_or_else(|| bad("missing i/n"))?;
    let i: usize = index.parse().map_err(|_| bad("bad part index"))?;
    let n: usize = count.parse().map_err(|_| bad("bad part count"))?;
    if n == 0 || n > MAX_PARTS || i == 0 || i > n {
        return Err(bad("part index out of range"));
    }
    Ok((i, n, body))
}

/// How far a reader (a camera seeing codes one after another) is in gathering one
/// presentation's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Distinct parts read.
    pub read: usize,
    /// Parts the presentation has (the `n` of `NS1:<i>/<n>:` or `NS2:<i>/<n>:`).
    pub total: usize,
    /// The joined presentation ([`decode_any_parts`]) once every part is read, else `None`.
    pub presentation: Option<String>,
}

/// Gathers the texts of codes read so far, in any order, each part as often as it was seen
/// (a trailing carriage return or newline, as some scanners add, is ignored): how many of
/// how many parts are read, and the presentation when all are.
///
/// Errors (named in words, as [`decode_any_parts`] does): a text that is not an `NS1` or
/// `NS2` part, parts of both framings or that disagree on their count (two presentations),
/// two different texts for one part, no text, and when complete every error of
/// [`decode_any_parts`].
pub fn gather<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Progress, BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let mut parts: Vec<Option<&str>> = Vec::new();
    let mut prefix: Option<&str> = None;
    for text in texts {
        let token = text.strip_suffix('\n').unwrap_or(text);
        let token = token.strip_suffix('\r').unwrap_or(token);
        let this = match framing(token) {
            Some(Framing::Ns1) => "NS1:",
            Some(Framing::Ns2) => "NS2:",
            None => return Err(bad("missing NS1: or NS2: prefix")),
        };
        if *prefix.get_or_insert(this) != this {
            return Err(bad("parts of two framings (NS1 and NS2)"));
        }
        let (i, n, _) = split_part(token, this)?;
        if parts.is_empty() {
            parts = vec![None; n];
        } else if parts.len() != n {
            return Err(bad("parts disagree on their count"));
        }
        match parts[i - 1] {
            Some(seen) if seen != token => return Err(bad("two different texts for one part")),
            _ => parts[i - 1] = Some(token),
        }
    }
    if parts.is_empty() {
        return Err(bad("no parts"));
    }
    let read = parts.iter().filter(|p| p.is_some()).count();
    let presentation = if read == parts.len() {
        let joined: Vec<&str> = parts.iter().flatten().copied().collect();
        Some(decode_any_parts(&joined.join("\n"))?)
    } else {
        None
    };
    Ok(Progress {
        read,
        total: parts.len(),
        presentation,
    })
}

#[cfg(test)]
mod gather_tests {
    use super::*;

    /// Text that does not compress much: several parts.
    fn noisy(len: usize) -> String {
        let mut state = 12345u64;
        (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((state >> 33) % 26) as u8)
            })
            .collect()
    }

    #[test]
    fn parts_seen_many_times_in_any_order_gather_into_the_presentation() {
        let presentation = noisy(3000);
        let parts = encode_parts(&presentation);
        assert!(parts.len() >= 2, "{} parts", parts.len());
        let last = parts.last().unwrap();
        let first = gather([last.as_str(), last.as_str()]).unwrap();
        assert_eq!(
            (first.read, first.total, first.presentation),
            (1, parts.len(), None)
        );
        let mut seen: Vec<&str> = parts.iter().rev().map(String::as_str).collect();
        seen.push(parts[0].as_str());
        let done = gather(seen).unwrap();
        assert_eq!(done.read, parts.len());
        assert_eq!(done.presentation.as_deref(), Some(presentation.as_str()));
    }

    #[test]
    fn mixed_or_broken_parts_are_refused_in_words() {
        let a = encode_parts(&noisy(3000));
        assert!(a.len() >= 2, "{} parts", a.len());
        let b = encode_parts("short");
        assert_eq!(b.len(), 1);
        assert!(gather([a[0].as_str(), b[0].as_str()]).is_err());
        let forged = format!("{}Z", a[0]);
        assert!(gather([a[0].as_str(), forged.as_str()]).is_err());
        assert!(gather(["NSC1:abc:aud"]).is_err());
        assert!(gather(std::iter::empty()).is_err());
        assert!(gather(["NS1:1/1:!!"]).is_err());
        let ns2 = presentation_parts(&crate::compact::tests::sample(true));
        assert!(gather([a[0].as_str(), ns2[0].as_str()]).is_err());
    }

    #[test]
    fn ns2_parts_gather_too() {
        let text = crate::compact::tests::sample(true);
        let parts = presentation_parts(&text);
        let done = gather(parts.iter().map(String::as_str)).unwrap();
        assert_eq!((done.read, done.total), (parts.len(), parts.len()));
        assert_eq!(done.presentation, Some(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compact::tests::sample;

    #[test]
    fn an_sd_jwt_presentation_travels_as_ns2_and_comes_back() {
        for proof in [false, true] {
            let text = sample(proof);
            let parts = presentation_parts(&text);
            assert_eq!(parts.len(), 1);
            assert!(parts[0].starts_with("NS2:1/1:"), "{}", parts[0]);
            assert_eq!(decode_any_parts(&parts.join("\n")), Ok(text.clone()));
            // The old framing of the same text still reads.
            assert_eq!(decode_any_parts(&encode_parts(&text).join("\n")), Ok(text));
        }
        let di = r#"{"type":["VerifiablePresentation"]}"#;
        assert!(presentation_parts(di)[0].starts_with("NS1:1/1:"));
    }

    #[test]
    fn long_ns2_sets_are_split_and_joined_in_any_order() {
        // Disclosures of random-looking bytes do not compress: several parts.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..4500)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let text = sample(true).replacen(
            "~",
            &format!(
                "~{}~",
                base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &noise)
            ),
            1,
        );
        let mut parts = encode_ns2_parts(&text).expect("compactable");
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.len() <= NS2_PART_CHARS + 10));
        parts.reverse();
        assert_eq!(decode_any_parts(&parts.join("\n")), Ok(text));
        assert!(decode_any_parts(&parts[1..].join("\n")).is_err());
    }

    #[test]
    fn other_versions_and_mixed_sets_are_refused_by_name() {
        let text = sample(true);
        let ns2 = presentation_parts(&text).remove(0);
        let err = |t: &str| decode_any_parts(t).expect_err("refused").0;
        assert_eq!(
            err(&ns2.replacen("NS2:", "NS3:", 1)),
            "unknown framing version NS3"
        );
        assert_eq!(err("hello"), "missing NS1: or NS2: prefix");
        let ns1 = encode_parts(&text).remove(0);
        assert!(err(&format!("{ns2}\n{ns1}")).contains("missing NS2: prefix"));
        // A flipped byte in the signature: the envelope still decodes (the verifier then
        // finds the signature bad); a truncated body is refused here, by name.
        let body = ns2.strip_prefix("NS2:1/1:").expect("one part");
        let truncated = format!("NS2:1/1:{}", &body[..body.len() - 30]);
        assert!(err(&truncated).starts_with("NS2 envelope") || err(&truncated) == "not base45");
    }
}
