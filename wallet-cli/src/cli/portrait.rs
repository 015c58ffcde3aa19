//! A disclosed portrait claim (`specs/credentials.md` 2): shown in a terminal by its size, not
//! its data URI, and written by `nansen verify --portrait-out FILE` as the image file it is.

use super::*;
use nansen_verifier::event::PortraitImage;

/// The claim's value as a terminal shows it: a portrait as `image/jpeg, 5120 bytes` (in the
/// language of `lang`), any other value as it is.
pub(super) fn shown_value(lang: Lang, name: &str, value: &str) -> String {
    match (name, PortraitImage::from_claim(value)) {
        ("portrait", Some(p)) => tr(
            lang,
            "portrait-value",
            &[p.media_type, &p.bytes.len().to_string()],
        ),
        _ => value.to_owned(),
    }
}

/// `--portrait-out FILE`: writes the disclosed portrait's image (a private file, never over an
/// existing one) and says so; says there was none when none was disclosed.
pub(super) fn write_portrait(
    ctx: &Ctx,
    claims: Option<&Map<String, Value>>,
    out: &Path,
) -> Result<(), CliError> {
    let image = claims
        .and_then(|c| c.get("portrait"))
        .and_then(Value::as_str)
        .and_then(PortraitImage::from_claim);
    match image {
        Some(p) => {
            output_file::write_private(out, &p.bytes, Existing::Refuse)?;
            println!(
                "{}",
                tr(ctx.lang, "portrait-written", &[&out.display().to_string()])
            );
        }
        None => println!("{}", tr(ctx.lang, "portrait-none", &[])),
    }
    Ok(())
}
