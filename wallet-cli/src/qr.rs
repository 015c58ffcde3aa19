//! Presentations as QR codes: the text of the parts is [`nansen_wire::qr_text`] (DEFLATE,
//! base45, `NS1:<i>/<n>:` prefixes).
//!
//! Codes are written as terminal text ([`terminal`]) and PNG ([`png`]), and read back from
//! scanned or photographed images ([`read_image`]: PNG through `png`, baseline and progressive
//! JPEG through `zune-jpeg`, the codes found with `quircs`).

pub use nansen_wire::qr_text::{encode_parts, MAX_PRESENTATION, PART_CHARS};

/// Largest image read for QR codes, in pixels (a 12-megapixel phone photo fits).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// Largest image side read for QR codes, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// QR errors, each named by its variant.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text parts are not a complete, consistent `NS1` set.
    #[error("bad QR text: {0}")]
    BadQrText(String),
    /// QR encoding or PNG writing failed.
    #[error("QR output failed: {0}")]
    QrOutput(String),
    /// The file is not a PNG or JPEG image that can be decoded (or it is too large).
    #[error("not a readable PNG or JPEG image: {0}")]
    NotAnImage(String),
    /// The image was decoded but holds no QR code that could be found.
    #[error("no QR code found in the image")]
    NoQrCode,
    /// A QR code was found but could not be read (damaged, blurred, cut off).
    #[error("a QR code was found but could not be read: {0}")]
    UnreadableQrCode(String),
}

impl QrError {
    /// The variant's name (`NoQrCode`, `NotAnImage`, ...), as error messages show it.
    pub fn name(&self) -> &'static str {
        match self {
            QrError::BadQrText(_) => "BadQrText",
            QrError::QrOutput(_) => "QrOutput",
            QrError::NotAnImage(_) => "NotAnImage",
            QrError::NoQrCode => "NoQrCode",
            QrError::UnreadableQrCode(_) => "UnreadableQrCode",
        }
    }
}

/// Joins parts of either framing, `NS1` or `NS2` (one per line, any order; empty lines
/// ignored), back into the text ([`nansen_wire::qr_text::decode_any_parts`]).
pub fn decode_parts(text: &str) -> Result<String, QrError> {
    nansen_wire::qr_text::decode_any_parts(text).map_err(|e| QrError::BadQrText(e.0))
}

/// Largest QR version written at error correction M: a longer text is written at L, whose
/// smaller code is easier to read at a distance (`specs/credentials.md` 11.2).
pub const MAX_VERSION_AT_M: i16 = 25;

/// The code of `part`: error correction M when that needs version [`MAX_VERSION_AT_M`] or
/// less, else L.
fn code(part: &str) -> Result<qrcode::QrCode, QrError> {
    let at = |level| qrcode::QrCode::with_error_correction_level(part.as_bytes(), level);
    if let Ok(m) = at(qrcode::EcLevel::M) {
        if matches!(m.version(), qrcode::Version::Normal(v) if v <= MAX_VERSION_AT_M) {
            return Ok(m);
        }
    }
    at(qrcode::EcLevel::L).map_err(|e| QrError::QrOutput(e.to_string()))
}

/// The version (1 to 40) and error-correction level (`L`, `M`) of the code written for
/// `part`.
pub fn version_and_level(part: &str) -> Result<(i16, char), QrError> {
    let c = code(part)?;
    let version = match c.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    let level = match c.error_correction_level() {
        qrcode::EcLevel::L => 'L',
        qrcode::EcLevel::M => 'M',
        qrcode::EcLevel::Q => 'Q',
        qrcode::EcLevel::H => 'H',
    };
    Ok((version, level))
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
    let (side, pixels) = pixels(part, scale)?;
    encode_png(side, side, &pixels)
}

/// A QR code as a square of 8-bit grey pixels (0 dark, 255 light), row by row: `scale` pixels
/// per module, 4-module quiet zone. Returns the side and the pixels.
pub fn pixels(part: &str, scale: u32) -> Result<(u32, Vec<u8>), QrError> {
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
    Ok((side, pixels))
}

/// 8-bit greyscale pixels, row by row, as a PNG file's bytes.
pub fn encode_png(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>, QrError> {
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, width, height);
        enc.set_color(::png::ColorType::Grayscale);
        enc.set_depth(::png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| QrError::QrOutput(e.to_string()))?;
        w.write_image_data(pixels)
            .map_err(|e| QrError::QrOutput(e.to_string()))?;
    }
    Ok(out)
}

/// An image as 8-bit luminance, row by row.
struct Luma {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn check_size(width: u64, height: u64) -> Result<(), QrError> {
    if width == 0
        || height == 0
        || width > u64::from(MAX_IMAGE_SIDE)
        || height > u64::from(MAX_IMAGE_SIDE)
        || width * height > MAX_IMAGE_PIXELS
    {
        return Err(QrError::NotAnImage(format!(
            "{width}x{height} pixels (at most {MAX_IMAGE_PIXELS} pixels, {MAX_IMAGE_SIDE} a side)"
        )));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Result<Luma, QrError> {
    let bad = |e: ::png::DecodingError| QrError::NotAnImage(format!("PNG: {e}"));
    let mut decoder = ::png::Decoder::new_with_limits(
        bytes,
        ::png::Limits {
            bytes: 4 * MAX_IMAGE_PIXELS as usize + (1 << 20),
        },
    );
    decoder.set_transformations(::png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(bad)?;
    let (w, h) = reader.info().size();
    check_size(u64::from(w), u64::from(h))?;
    let mut buf = vec![0u8; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(bad)?;
    let (width, height) = (info.width as usize, info.height as usize);
    let channels = match info.color_type {
        ::png::ColorType::Grayscale => 1,
        ::png::ColorType::GrayscaleAlpha => 2,
        ::png::ColorType::Rgb => 3,
        ::png::ColorType::Rgba => 4,
        ::png::ColorType::Indexed => {
            return Err(QrError::NotAnImage("PNG: palette not expanded".into()))
        }
    };
    if info.bit_depth != ::png::BitDepth::Eight || info.line_size < width * channels {
        return Err(QrError::NotAnImage("PNG: unexpected pixel layout".into()));
    }
    let mut pixels = Vec::with_capacity(width * height);
    for row in buf.chunks(info.line_size).take(height) {
        for px in row.chunks_exact(channels).take(width) {
            let (luma, alpha) = match px {
                [l] => (u32::from(*l), 255),
                [l, a] => (u32::from(*l), u32::from(*a)),
                [r, g, b] => (rgb_luma(*r, *g, *b), 255),
                [r, g, b, a] => (rgb_luma(*r, *g, *b), u32::from(*a)),
                _ => (255, 255),
            };
            // Transparent pixels are shown on white, as a viewer would.
            pixels.push(((luma * alpha + 255 * (255 - alpha)) / 255) as u8);
        }
    }
    if pixels.len() != width * height {
        return Err(QrError::NotAnImage("PNG: truncated image data".into()));
    }
    Ok(Luma {
        width,
        height,
        pixels,
    })
}

fn rgb_luma(r: u8, g: u8, b: u8) -> u32 {
    // ITU-R BT.601 weights, in 1/1000.
    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
}

fn decode_jpeg(bytes: &[u8]) -> Result<Luma, QrError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let bad = |e: zune_jpeg::errors::DecodeErrors| QrError::NotAnImage(format!("JPEG: {e}"));
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(MAX_IMAGE_SIDE as usize)
        .set_max_height(MAX_IMAGE_SIDE as usize);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    decoder.decode_headers().map_err(bad)?;
    let info = decoder
        .info()
        .ok_or_else(|| QrError::NotAnImage("JPEG: no image header".into()))?;
    check_size(u64::from(info.width), u64::from(info.height))?;
    let pixels = decoder.decode().map_err(bad)?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    if pixels.len() != width * height {
        return Err(QrError::NotAnImage("JPEG: unexpected pixel layout".into()));
    }
    Ok(Luma {
        width,
        height,
        pixels,
    })
}

/// Reads every QR code in an image file's bytes (PNG or JPEG, told apart by their magic
/// bytes) and returns their texts, in the order they were found.
///
/// Errors: [`QrError::NotAnImage`] when the bytes are neither a PNG nor a JPEG that decodes
/// (or the image is larger than [`MAX_IMAGE_PIXELS`]); [`QrError::NoQrCode`] when no code is
/// found; [`QrError::UnreadableQrCode`] when codes were found and none could be read.
pub fn read_image(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes)?
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        decode_jpeg(bytes)?
    } else {
        return Err(QrError::NotAnImage("neither a PNG nor a JPEG file".into()));
    };
    let Luma {
        width,
        height,
        pixels,
    } = image;
    find_codes(width, height, &pixels)
}

/// Finds and reads the QR codes in an 8-bit luminance image (`pixels`: `width` × `height`,
/// row by row) with `quircs` (a port of quirc). Its work is bounded whatever the picture: a
/// global (Otsu) threshold, at most 65,534 regions, so an image tiled with thousands of finder
/// patterns is answered in well under a second, not searched combinatorially. A decoder panic
/// on a crafted image is caught and reported as an unreadable code.
pub fn find_codes(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<String>, QrError> {
    if pixels.len() != width.saturating_mul(height) {
        return Err(QrError::NotAnImage(
            "pixel count does not match the size".into(),
        ));
    }
    let found = std::panic::catch_unwind(|| {
        let mut decoder = quircs::Quirc::default();
        let mut grids = 0usize;
        let mut texts = Vec::new();
        let mut last_error = None;
        for code in decoder.identify(width, height, pixels) {
            grids += 1;
            match code
                .map_err(|e| e.to_string())
                .and_then(|c| c.decode().map_err(|e| e.to_string()))
            {
                Ok(data) => match String::from_utf8(data.payload) {
                    Ok(text) => texts.push(text),
                    Err(_) => last_error = Some("the code's payload is not UTF-8 text".to_owned()),
                },
                Err(e) => last_error = Some(e),
            }
        }
        (grids, texts, last_error)
    });
    let (grids, texts, last_error) =
        found.map_err(|_| QrError::UnreadableQrCode("the decoder failed on this image".into()))?;
    match (texts.is_empty(), grids, last_error) {
        (false, _, _) => Ok(texts),
        (true, 0, _) => Err(QrError::NoQrCode),
        (true, _, Some(e)) => Err(QrError::UnreadableQrCode(e)),
        (true, _, None) => Err(QrError::NoQrCode),
    }
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

    #[test]
    fn codes_as_phones_degrade_them_still_read() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/qr/");
        let read = |name: &str| {
            let bytes = std::fs::read(format!("{dir}{name}")).expect("fixture");
            read_image(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let pristine = read("bundle-part.png");
        assert_eq!(pristine.len(), 1);
        assert!(pristine[0].starts_with("NS1:1/3:"), "{pristine:?}");
        for variant in [
            "bundle-part-grey-rotated-5deg.png",
            "bundle-part-upscaled-2.5x.png",
            "bundle-part-upscaled-3x.png",
            "bundle-part-low-contrast-blur.png",
        ] {
            assert_eq!(read(variant), pristine, "{variant}");
        }
    }

    #[test]
    fn an_image_tiled_with_finder_patterns_is_answered_by_name() {
        // 40,000 finder patterns in a 5,400-pixel square (80 KB as PNG).
        let hostile = include_bytes!("../tests/vectors/qr/finder-tiles.png");
        assert!(matches!(
            read_image(hostile),
            Err(QrError::NoQrCode | QrError::UnreadableQrCode(_))
        ));
    }

    #[test]
    fn png_codes_read_back_and_non_images_are_named() {
        let parts = encode_parts("did:key:z6MkqGC3nWZhYieEVTVDKW5v588CiGfsDSmRVG9ZwwWTvLSK");
        let image = png(&parts[0], 3).unwrap();
        assert_eq!(read_image(&image).unwrap(), vec![parts[0].clone()]);
        assert!(matches!(
            read_image(b"not an image"),
            Err(QrError::NotAnImage(_))
        ));
        assert!(matches!(
            read_image(&image[..image.len() / 2]),
            Err(QrError::NotAnImage(_))
        ));
        // A blank white PNG: decodes, holds no code.
        let mut blank = Vec::new();
        {
            let mut enc = ::png::Encoder::new(&mut blank, 64, 64);
            enc.set_color(::png::ColorType::Grayscale);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(&[255u8; 64 * 64]).unwrap();
        }
        assert!(matches!(read_image(&blank), Err(QrError::NoQrCode)));
        // A baseline JPEG, as a phone camera app saves it (tests/vectors/qr/SOURCE.txt).
        let jpeg = include_bytes!("../tests/vectors/qr/holder-did.jpg");
        assert_eq!(
            read_image(jpeg).unwrap(),
            vec!["did:key:z6MketRnnacFJUFvgC73s65VBbT6ARb3UXdR35FVXQ5nSyvz".to_owned()]
        );
    }
}
