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
