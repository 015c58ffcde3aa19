//! QR codes as pixels, without I/O, for the command line (`nansen`) and the browser verifier
//! (this crate compiled to WebAssembly): one encoder and one finder.
//!
//! - [`code`], [`modules`] and [`pixels`] draw a text as a QR code at error correction M
//!   (`qrcode`);
//! - [`find_codes`] (8-bit luminance) and [`find_codes_rgba`] (8-bit RGBA, as a browser's
//!   canvas gives it) find and read every code in a picture (`quircs`, a port of quirc), with
//!   bounded work whatever the picture (`specs/credentials.md` section 15.4).
//!
//! Image files (PNG, JPEG) are decoded by the caller: the command line in
//! `wallet-cli/src/qr.rs`, the page by the browser.

/// Largest picture read for QR codes, in pixels (a 12-megapixel phone photo fits).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// Largest picture side read for QR codes, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Error correction of the codes written up to version [`MAX_VERSION_AT_M`]: M (about 15 % of
/// the code may be lost); larger codes are written at L.
pub const EC_LEVEL: qrcode::EcLevel = qrcode::EcLevel::M;
/// Light modules around a code drawn by [`pixels`] (the quiet zone QR readers need).
pub const QUIET_ZONE: u32 = 4;

/// QR errors, each named by its variant ([`QrError::name`]).
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text parts are not a complete, consistent `NS1` set.
    #[error("bad QR text: {0}")]
    BadQrText(String),
    /// QR encoding or PNG writing failed.
    #[error("QR output failed: {0}")]
    QrOutput(String),
    /// The file is not a PNG or JPEG image that can be decoded (or it is too large), or the
    /// pixels do not match the picture's size.
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

/// Largest QR version written at error correction M ([`EC_LEVEL`]): a longer text is written
/// at L, whose smaller code is easier to read at a distance (`specs/credentials.md` 11.2).
pub const MAX_VERSION_AT_M: i16 = 25;

/// `text` as a QR code, the smallest version that holds it: at error correction [`EC_LEVEL`]
/// (M) when that needs version [`MAX_VERSION_AT_M`] or less, else at L.
pub fn code(text: &str) -> Result<qrcode::QrCode, QrError> {
    let at = |level| qrcode::QrCode::with_error_correction_level(text.as_bytes(), level);
    if let Ok(m) = at(EC_LEVEL) {
        if matches!(m.version(), qrcode::Version::Normal(v) if v <= MAX_VERSION_AT_M) {
            return Ok(m);
        }
    }
    at(qrcode::EcLevel::L).map_err(|e| QrError::QrOutput(e.to_string()))
}

/// The version (1 to 40) and error-correction level (`L`, `M`) of the code written for
/// `text`.
pub fn version_and_level(text: &str) -> Result<(i16, char), QrError> {
    let c = code(text)?;
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

/// `text`'s QR code as its modules, row by row (`true` dark), without quiet zone; returns
/// the number of modules a side and the modules.
pub fn modules(text: &str) -> Result<(usize, Vec<bool>), QrError> {
    let c = code(text)?;
    let colors = c.to_colors();
    Ok((
        c.width(),
        colors.iter().map(|m| *m == qrcode::Color::Dark).collect(),
    ))
}

/// A QR code as a square of 8-bit grey pixels (0 dark, 255 light), row by row: `scale` pixels
/// per module, a [`QUIET_ZONE`]-module quiet zone. Returns the side and the pixels.
pub fn pixels(text: &str, scale: u32) -> Result<(u32, Vec<u8>), QrError> {
    let (width, dark) = modules(text)?;
    let modules = width as u32;
    let side = (modules + 2 * QUIET_ZONE) * scale;
    let mut pixels = vec![255u8; (side * side) as usize];
    for y in 0..modules {
        for x in 0..modules {
            if dark[(y * modules + x) as usize] {
                for dy in 0..scale {
                    let row = ((y + QUIET_ZONE) * scale + dy) * side;
                    let start = (row + (x + QUIET_ZONE) * scale) as usize;
                    pixels[start..start + scale as usize].fill(0);
                }
            }
        }
    }
    Ok((side, pixels))
}

/// Refuses a picture of no pixels, a side over [`MAX_IMAGE_SIDE`] or more than
/// [`MAX_IMAGE_PIXELS`] pixels ([`QrError::NotAnImage`], the size named).
pub fn check_size(width: u64, height: u64) -> Result<(), QrError> {
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

/// The luminance of a colour (ITU-R BT.601 weights, in 1/1000), 0 to 255.
pub fn rgb_luma(r: u8, g: u8, b: u8) -> u32 {
    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
}

/// A pixel's luminance with its transparency shown on white, as a viewer would.
pub fn luma_on_white(luma: u32, alpha: u32) -> u8 {
    ((luma * alpha + 255 * (255 - alpha)) / 255) as u8
}

/// [`find_codes`] on 8-bit RGBA pixels (`width` × `height` × 4 bytes, row by row, as a
/// canvas's `getImageData` gives them); transparent pixels count as white.
pub fn find_codes_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Vec<String>, QrError> {
    check_size(width as u64, height as u64)?;
    if rgba.len() != width.saturating_mul(height).saturating_mul(4) {
        return Err(QrError::NotAnImage(
            "RGBA byte count does not match the size".into(),
        ));
    }
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| luma_on_white(rgb_luma(p[0], p[1], p[2]), u32::from(p[3])))
        .collect();
    find_codes(width, height, &luma)
}

/// Finds and reads the QR codes in an 8-bit luminance image (`pixels`: `width` × `height`,
/// row by row) and returns their texts, in the order they were found.
///
/// Its work is bounded whatever the picture: a global (Otsu) threshold, at most 65,534
/// regions, so an image tiled with thousands of finder patterns is answered in well under a
/// second, not searched combinatorially. A decoder panic on a crafted image is caught and
/// reported as an unreadable code where panics unwind (in the browser's module, built with
/// `panic = "abort"`, it stops the call and the page says so).
///
/// Errors: [`QrError::NotAnImage`] when the pixel count does not match the size;
/// [`QrError::NoQrCode`] when no code is found; [`QrError::UnreadableQrCode`] when codes were
/// found and none could be read.
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
    fn a_drawn_code_reads_back_in_grey_and_rgba() {
        let text = "NSC1:00112233445566778899aabbccddeeff:border-post-7";
        let (side, grey) = pixels(text, 3).unwrap();
        let side = side as usize;
        assert_eq!(
            find_codes(side, side, &grey).unwrap(),
            vec![text.to_owned()]
        );
        // The same code on a canvas: opaque grey as RGBA.
        let rgba: Vec<u8> = grey.iter().flat_map(|&l| [l, l, l, 255]).collect();
        assert_eq!(
            find_codes_rgba(side, side, &rgba).unwrap(),
            vec![text.to_owned()]
        );
        // Fully transparent pixels are white: no code.
        let clear: Vec<u8> = grey.iter().flat_map(|&l| [l, l, l, 0]).collect();
        assert!(matches!(
            find_codes_rgba(side, side, &clear),
            Err(QrError::NoQrCode)
        ));
    }

    #[test]
    fn modules_are_the_drawn_code() {
        let (width, dark) = modules("did:key:z6Mk").unwrap();
        assert_eq!(dark.len(), width * width);
        // Version 1 (21 modules) at M holds 14 bytes; the top-left finder's corner is dark.
        assert_eq!(width, 21);
        assert!(dark[0] && dark[6] && !dark[7]);
    }

    #[test]
    fn wrong_sizes_are_named_not_read() {
        assert!(matches!(
            find_codes(10, 10, &[0u8; 99]),
            Err(QrError::NotAnImage(_))
        ));
        assert!(matches!(
            find_codes_rgba(10, 10, &[0u8; 399]),
            Err(QrError::NotAnImage(_))
        ));
        assert!(matches!(
            find_codes_rgba(0, 0, &[]),
            Err(QrError::NotAnImage(_))
        ));
        assert!(matches!(
            find_codes_rgba(20_000, 1, &[0u8; 80_000]),
            Err(QrError::NotAnImage(_))
        ));
        assert!(matches!(
            find_codes(8, 8, &[255u8; 64]),
            Err(QrError::NoQrCode)
        ));
    }
}
