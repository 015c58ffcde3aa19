//! Presentations as QR codes: the text of the parts is [`nansen_wire::qr_text`] (DEFLATE,
//! base45, `NS1:<i>/<n>:` prefixes).
//!
//! Codes are written as terminal text ([`terminal`]) and PNG ([`png`]), and read back from
//! scanned or photographed images ([`read_image`]: PNG through `png`, baseline and progressive
//! JPEG through `zune-jpeg`, the codes found by [`nansen_qr::find_codes`], the finder the
//! browser verifier runs too).

pub use nansen_wire::qr_text::{encode_parts, MAX_PRESENTATION, PART_CHARS};

use nansen_qr::{check_size, code, luma_on_white, rgb_luma};
pub use nansen_qr::{
    find_codes, pixels, version_and_level, QrError, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE,
    MAX_VERSION_AT_M,
};

/// Joins parts of either framing, `NS1` or `NS2` (one per line, any order; empty lines
/// ignored), back into the text ([`nansen_wire::qr_text::decode_any_parts`]).
pub fn decode_parts(text: &str) -> Result<String, QrError> {
    nansen_wire::qr_text::decode_any_parts(text).map_err(|e| QrError::BadQrText(e.0))
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
            pixels.push(luma_on_white(luma, alpha));
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
