//! QR codes in and out of the command line: reading scanned images (`--qr-image`), the
//! holder's DID as a code (`did --qr-png`, `issue --holder-qr`), and writing any text as
//! `NS1` parts to the terminal, PNG files and a text file.

use super::*;
use nansen_wire::challenge::ChallengeRequest;

/// Where a command writes the QR form of its text. The files are private and not put over
/// existing ones (see `output_file`): their text is a bundle or a presentation.
pub(super) struct QrOutputs<'a> {
    /// Draw the codes in the terminal (standard output).
    pub(super) terminal: bool,
    /// Write the codes as PNG (`name.png`, or `name-1.png`, `name-2.png`, ... for several).
    pub(super) png: Option<&'a Path>,
    /// Write the parts' text, one `NS1:i/n:...` (or `NS2:i/n:...`) line each.
    pub(super) text: Option<&'a Path>,
    /// `NS2` parts when the text (a presentation) has a compact envelope
    /// ([`nansen_wire::qr_text::presentation_parts`]); else, and when false, `NS1`.
    pub(super) compact: bool,
}

impl QrOutputs<'_> {
    pub(super) fn any(&self) -> bool {
        self.terminal || self.png.is_some() || self.text.is_some()
    }

    /// The parts `text` is written as.
    fn parts(&self, text: &str) -> Vec<String> {
        if self.compact {
            nansen_wire::qr_text::presentation_parts(text)
        } else {
            qr::encode_parts(text)
        }
    }

    /// The files [`write_qr_outputs`] would write for `text`.
    pub(super) fn paths(&self, text: &str) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.text.map(Path::to_path_buf).into_iter().collect();
        if let Some(base) = self.png {
            let n = self.parts(text).len();
            paths.extend((0..n).map(|i| png_path(base, i, n)));
        }
        paths
    }
}

/// The PNG file of part `i` (0-based) of `n`: `base` itself for one part, else
/// `<stem>-<i+1>.png` beside it.
pub(super) fn png_path(base: &Path, i: usize, n: usize) -> PathBuf {
    if n == 1 {
        return base.to_path_buf();
    }
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "qr".into());
    base.with_file_name(format!("{stem}-{}.png", i + 1))
}

/// Writes `text` as `NS1` parts to every output asked for; files as `existing` says (the
/// caller has checked them with `output_file::check_free`).
pub(super) fn write_qr_outputs(
    ctx: &Ctx,
    text: &str,
    out: &QrOutputs,
    existing: Existing,
) -> Result<(), CliError> {
    if !out.any() {
        return Ok(());
    }
    let parts = out.parts(text);
    let n = parts.len();
    if let Some(path) = out.text {
        let lines = parts.join("\n") + "\n";
        output_file::write_private(path, lines.as_bytes(), existing)?;
    }
    if let Some(base) = out.png {
        for (i, part) in parts.iter().enumerate() {
            let path = png_path(base, i, n);
            output_file::write_private(&path, &qr::png(part, 4)?, existing)?;
            let (i, n) = ((i + 1).to_string(), n.to_string());
            let (version, level) = qr::version_and_level(part)?;
            eprintln!(
                "{}",
                tr(
                    ctx.lang,
                    "qr-written",
                    &[
                        &i,
                        &n,
                        &path.display().to_string(),
                        &version.to_string(),
                        &level.to_string()
                    ]
                )
            );
        }
    }
    if out.terminal {
        let mut stdout = std::io::stdout().lock();
        for (i, part) in parts.iter().enumerate() {
            let _ = writeln!(stdout, "[{}/{}]", i + 1, n);
            let _ = writeln!(stdout, "{}", qr::terminal(part)?);
        }
    }
    Ok(())
}

/// Every QR code's text in the image files, in file order.
fn scan_all(paths: &[PathBuf]) -> Result<Vec<String>, CliError> {
    let mut texts = Vec::new();
    for path in paths {
        let bytes = read(path)?;
        let found = qr::read_image(&bytes).map_err(|e| CliError::QrImage(path.clone(), e))?;
        texts.extend(found);
    }
    Ok(texts)
}

/// The text carried by the `NS1` parts found in the image files (one or more codes per file,
/// files and codes in any order).
pub(super) fn read_qr_images(paths: &[PathBuf]) -> Result<String, CliError> {
    let texts = scan_all(paths)?;
    Ok(qr::decode_parts(&texts.join("\n"))?)
}

/// The text carried by the `NS1` parts of a QR text file (one part per line).
pub(super) fn read_qr_text(path: &Path) -> Result<String, CliError> {
    let text = String::from_utf8(read(path)?).map_err(|_| {
        CliError::QrImage(
            path.to_path_buf(),
            qr::QrError::BadQrText("not UTF-8".into()),
        )
    })?;
    Ok(qr::decode_parts(&text)?)
}

/// A holder's did:key read from a QR image: the DID itself as the code's text (what
/// `nansen did --qr-png` writes), or `NS1` parts carrying it.
pub(super) fn read_holder_qr(path: &Path) -> Result<String, CliError> {
    let texts = scan_all(std::slice::from_ref(&path.to_path_buf()))?;
    let did = if texts.iter().any(|t| t.starts_with("NS1:")) {
        qr::decode_parts(&texts.join("\n"))?
    } else {
        match texts.as_slice() {
            [one] => one.clone(),
            _ => {
                return Err(CliError::QrImage(
                    path.to_path_buf(),
                    qr::QrError::BadQrText("several codes, expected one did:key".into()),
                ))
            }
        }
    };
    let did = did.trim().to_owned();
    did::public_key_from_did_key(&did)?;
    Ok(did)
}

/// A verifier's challenge and audience read from a photo or scan of its challenge code
/// (`nansen challenge --qr-png`): exactly one `NSC1:` code in the image.
pub(super) fn read_challenge_qr(path: &Path) -> Result<ChallengeRequest, CliError> {
    let texts = scan_all(std::slice::from_ref(&path.to_path_buf()))?;
    let bad = |why: String| CliError::QrImage(path.to_path_buf(), qr::QrError::BadQrText(why));
    let mut codes = texts
        .iter()
        .filter(|t| t.starts_with(nansen_wire::challenge::CHALLENGE_PREFIX));
    match (codes.next(), codes.next()) {
        (Some(one), None) => ChallengeRequest::from_text(one).map_err(|e| bad(e.to_string())),
        (None, _) => Err(bad(
            "no challenge code (NSC1:...) in this image: scan the verifier's challenge code".into(),
        )),
        (Some(_), Some(_)) => Err(bad("several challenge codes in one image".into())),
    }
}

/// `nansen challenge`: a fresh random challenge on standard output (the first line, alone, as
/// scripts read it); with `terminal` or `png`, also the challenge code the holder scans.
pub(super) fn challenge_command(
    ctx: &Ctx,
    audience: &str,
    terminal: bool,
    png: Option<&Path>,
) -> Result<i32, CliError> {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|_| CredentialError::Randomness)?;
    let request = ChallengeRequest::new(&hex::encode(nonce), audience)
        .map_err(|e| CliError::usage("usage-bad-audience", &[&e.to_string()]))?;
    println!("{}", request.challenge);
    let text = request.to_text();
    if terminal {
        println!("{}", qr::terminal(&text)?);
    }
    if let Some(png) = png {
        write(png, &qr::png(&text, 8)?)?;
        let path = png.display().to_string();
        eprintln!("{}", tr(ctx.lang, "qr-written", &["1", "1", &path]));
    }
    Ok(0)
}

/// The recovery phrase read from a photo or scan of the recovery sheet's QR code (its text is
/// the phrase itself). Anything else in the image is refused by name.
pub(super) fn read_phrase_qr(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let texts = scan_all(std::slice::from_ref(&path.to_path_buf()))?;
    match texts.as_slice() {
        [one] => Ok(Zeroizing::new(one.clone())),
        _ => Err(CliError::QrImage(
            path.to_path_buf(),
            qr::QrError::BadQrText("expected the one code of a recovery sheet".into()),
        )),
    }
}

/// `--qr`, `--qr-png` and `--qr-text` of a command that hands a text over as QR codes.
#[derive(Debug, Clone, clap::Args)]
pub struct QrOutArgs {
    /// Also show the bundle as QR codes in the terminal, for the holder's phone to scan.
    #[arg(long)]
    pub qr: bool,
    /// Also write the bundle as QR code PNGs (several codes: name-1.png, name-2.png, ...);
    /// the holder reads them with `nansen receive --qr-image`.
    #[arg(long, value_name = "FILE.png")]
    pub qr_png: Option<PathBuf>,
    /// Also write the bundle's QR text (one `NS1:i/n:...` part per line).
    #[arg(long, value_name = "FILE")]
    pub qr_text: Option<PathBuf>,
}

impl QrOutArgs {
    /// The outputs these flags ask for.
    pub(super) fn outputs(&self) -> QrOutputs<'_> {
        QrOutputs {
            terminal: self.qr,
            png: self.qr_png.as_deref(),
            text: self.qr_text.as_deref(),
            compact: false,
        }
    }
}

/// `nansen did`: the DID as text, and as a QR code whose text is the DID itself. The DID is
/// read from the wallet header, without the passphrase; a version-1 wallet is opened for it.
pub(super) fn did_command(ctx: &Ctx, terminal: bool, png: Option<&Path>) -> Result<i32, CliError> {
    let holder = match Wallet::read_holder_key(&ctx.wallet_path)? {
        Some(key) => did::did_key_from_public_key(&key),
        None => did::did_key_from_seed(&*ctx.open()?.data.seed()?),
    };
    println!("{holder}");
    if terminal {
        println!("{}", qr::terminal(&holder)?);
    }
    if let Some(png) = png {
        write(png, &qr::png(&holder, 8)?)?;
        let path = png.display().to_string();
        eprintln!("{}", tr(ctx.lang, "qr-written", &["1", "1", &path]));
    }
    Ok(0)
}

/// The bundle `receive` reads: a file, QR images or QR text.
pub(super) fn read_bundle_input(
    file: Option<PathBuf>,
    qr_images: &[PathBuf],
    qr_text: Option<PathBuf>,
) -> Result<Vec<u8>, CliError> {
    match (file, qr_text) {
        (Some(f), _) => read(&f),
        (None, Some(q)) => Ok(read_qr_text(&q)?.into_bytes()),
        (None, None) if !qr_images.is_empty() => Ok(read_qr_images(qr_images)?.into_bytes()),
        (None, None) => Err(CliError::usage("usage-scan-needs-bundle", &[])),
    }
}

/// The holder DID of `issue`: `--holder`, else read from `--holder-qr`.
pub(super) fn holder_did_arg(
    holder: Option<String>,
    holder_qr: Option<&Path>,
) -> Result<String, CliError> {
    match (holder, holder_qr) {
        (Some(h), _) => Ok(h),
        (None, Some(image)) => read_holder_qr(image),
        (None, None) => Err(CliError::usage("usage-needs-holder", &[])),
    }
}
