//! Presentations as QR codes: DEFLATE-compressed, base45-encoded (RFC 9285, whose alphabet is
//! the QR alphanumeric set), split into parts of at most [`PART_CHARS`] characters, each part
//! prefixed `NS1:<i>/<n>:` (1-based). A reader collects every part, in any order, and joins
//! them. Parts are separated by newlines (base45 itself uses spaces).

use std::io::{Read, Write};

/// Base45 characters per QR code (fits version 25 or so at error correction M).
pub const PART_CHARS: usize = 1000;
/// Largest decompressed presentation accepted.
pub const MAX_PRESENTATION: usize = 1 << 20;

/// QR errors.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text parts are not a complete, consistent `NS1` set.
    #[error("bad QR text: {0}")]
    BadParts(String),
    /// QR encoding or PNG writing failed.
    #[error("QR output failed: {0}")]
    Output(String),
}

/// Compresses and encodes `presentation` into prefixed parts.
pub fn encode_parts(presentation: &str) -> Vec<String> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(presentation.as_bytes())
        .expect("writing to a Vec cannot fail");
    let compressed = enc.finish().expect("writing to a Vec cannot fail");
    let text = base45::encode(&compressed);
    let chunks: Vec<&str> = text
        .as_bytes()
        .chunks(PART_CHARS)
        .map(|c| std::str::from_utf8(c).expect("base45 is ASCII"))
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
pub fn decode_parts(text: &str) -> Result<String, QrError> {
    let bad = |m: &str| QrError::BadParts(m.to_owned());
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
        if n == 0 || n > 64 || i == 0 || i > n {
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

fn code(part: &str) -> Result<qrcode::QrCode, QrError> {
    qrcode::QrCode::with_error_correction_level(part.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| QrError::Output(e.to_string()))
}

/// A QR code drawn with Unicode half blocks, for a terminal.
pub fn terminal(part: &str) -> Result<String, QrError> {
    Ok(code(part)?
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// A QR code as an 8-bit greyscale PNG (`scale` pixels per module, 4-module quiet zone).
pub fn png(part: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    let c = code(part)?;
    let modules = c.width() as u32;
    let colors = c.to_colors();
    let quiet = 4;
    let side = (modules + 2 * quiet) * scale;
    let mut pixels = vec![255u8; (side * side) as usize];
    for y in 0..modules {
        for x in 0..modules {
            if colors[(y * modules + x) as usize] == qrcode::Color::Dark {
                for dy in 0..scale {
                    let row = ((y + quiet) * scale + dy) * side;
                    let start = (row + (x + quiet) * scale) as usize;
                    pixels[start..start + scale as usize].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, side, side);
        enc.set_color(::png::ColorType::Grayscale);
        enc.set_depth(::png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| QrError::Output(e.to_string()))?;
        w.write_image_data(&pixels)
            .map_err(|e| QrError::Output(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip_in_any_order() {
        let mut state = 12345u64;
        let noisy: String = (0..4000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((state >> 33) % 26) as u8)
            })
            .collect();
        let mut parts = encode_parts(&noisy);
        assert!(parts.iter().all(|p| p.starts_with("NS1:")));
        parts.reverse();
        assert_eq!(decode_parts(&parts.join("\n")).unwrap(), noisy);
        assert!(parts.len() > 1, "{} parts", parts.len());
        assert!(decode_parts(&parts[1..].join("\n")).is_err());
        assert!(decode_parts("garbage").is_err());
        assert!(png(&parts[0], 2).unwrap().starts_with(b"\x89PNG"));
        assert!(!terminal(&parts[0]).unwrap().is_empty());
    }
}
