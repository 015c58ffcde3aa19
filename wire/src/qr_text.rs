//! A presentation as the text of QR codes: DEFLATE-compressed, base45-encoded
//! (RFC 9285, whose alphabet is the QR alphanumeric set), split into parts of
//! at most [`PART_CHARS`] characters, each part prefixed `NS1:<i>/<n>:`
//! (1-based). A reader collects every part, in any order, and joins them.
//! Parts are separated by newlines (base45 itself uses spaces).

use std::io::{Read, Write};

/// Base45 characters per QR code (fits version 25 or so at error correction M).
pub const PART_CHARS: usize = 1000;
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
    let text = base45::encode(&compressed);
    // base45 text is ASCII, so every byte boundary is a character boundary.
    let chunks: Vec<&str> = text
        .as_bytes()
        .chunks(PART_CHARS)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let n = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| format!("NS1:{}/{}:{}", i + 1, n, c))
        .collect()
}

/// Joins parts (one per line, any order; empty lines ignored) back into the presentation.
/// Lines are not trimmed, except for a trailing carriage return: space is a base45 character.
pub fn decode_parts(text: &str) -> Result<String, BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let mut parts: Vec<Option<String>> = Vec::new();
    for token in text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if token.is_empty() {
            continue;
        }
        let (i, n, body) = split_part(token)?;
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

/// A part's `NS1:<i>/<n>:` prefix read and checked (`1 <= i <= n <= MAX_PARTS`): `(i, n,
/// body)`.
fn split_part(token: &str) -> Result<(usize, usize, &str), BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let rest = token
        .strip_prefix("NS1:")
        .ok_or_else(|| bad("missing NS1: prefix"))?;
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
    /// Parts the presentation has (the `n` of `NS1:<i>/<n>:`).
    pub total: usize,
    /// The joined presentation ([`decode_parts`]) once every part is read, else `None`.
    pub presentation: Option<String>,
}

/// Gathers the texts of codes read so far, in any order, each part as often as it was seen
/// (a trailing carriage return or newline, as some scanners add, is ignored): how many of
/// how many parts are read, and the presentation when all are.
///
/// Errors (named in words, as [`decode_parts`] does): a text that is not an `NS1` part,
/// parts that disagree on their count (two presentations), two different texts for one part,
/// no text, and when complete every error of [`decode_parts`].
pub fn gather<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Progress, BadQrText> {
    let bad = |m: &str| BadQrText(m.to_owned());
    let mut parts: Vec<Option<&str>> = Vec::new();
    for text in texts {
        let token = text.strip_suffix('\n').unwrap_or(text);
        let token = token.strip_suffix('\r').unwrap_or(token);
        let (i, n, _) = split_part(token)?;
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
        Some(decode_parts(&joined.join("\n"))?)
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
    }
}
