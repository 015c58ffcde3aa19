//! The holder's `present`: a selective presentation bound to a verifier's challenge.

use super::*;

/// Claims of the `border` profile, kept when the credential has them.
pub const BORDER_PROFILE: &[&str] = &[
    "givenName",
    "familyName",
    "nationality",
    "countryOfOrigin",
    "hostCountry",
    "statusGrantedDate",
    "caseNumber",
];

pub(super) struct PresentArgs {
    pub(super) id: String,
    pub(super) claims: Vec<String>,
    pub(super) form: String,
    pub(super) profile: Option<String>,
    pub(super) challenge: String,
    pub(super) audience: String,
    pub(super) out: Option<PathBuf>,
    pub(super) existing: Existing,
    pub(super) qr: bool,
    pub(super) qr_png: Option<PathBuf>,
    pub(super) qr_text: Option<PathBuf>,
    /// `--qr-framing ns2` (the default): the compact envelope where the text has one.
    pub(super) compact_qr: bool,
    pub(super) node: Option<String>,
    /// Disclose without asking.
    pub(super) yes: bool,
}

pub(super) fn present(ctx: &Ctx, a: PresentArgs) -> Result<i32, CliError> {
    // Refused before the wallet is opened; the PNG names are checked once the text is made.
    let files: Vec<PathBuf> = [&a.out, &a.qr_text]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    output_file::check_free(&files, a.existing)?;
    let w = ctx.open()?;
    let c = find(&w, &a.id)?;
    let held: Vec<String> = c
        .data_integrity
        .get("credentialSubject")
        .and_then(Value::as_object)
        .map(|m| m.keys().filter(|k| *k != "id").cloned().collect())
        .unwrap_or_default();
    let disclose: Vec<String> = match a.profile.as_deref() {
        Some("border") => BORDER_PROFILE
            .iter()
            .filter(|n| held.iter().any(|h| h == *n))
            .map(|n| n.to_string())
            .collect(),
        Some(other) => return Err(CliError::usage("usage-unknown-profile", &[other])),
        None => a
            .claims
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    let seed = w.data.seed()?;
    if a.form == "di" {
        if !a.claims.is_empty() || a.profile.is_some() {
            return Err(CliError::usage("usage-di-whole-credential", &[]));
        }
        let all: Vec<String> = claim_labels::claims_of(c)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        confirm_disclosure(ctx, c, &all, &a)?;
        let vp = crate::present_data_integrity(
            &c.data_integrity,
            &seed,
            &a.challenge,
            &a.audience,
            now(),
        )?;
        let text = match &a.node {
            None => serde_json::to_string(&vp)
                .map_err(|e| CliError::usage("usage-presentation-fault", &[&e.to_string()]))?,
            Some(url) => ledger_check::di_envelope_text(&vp, Some(fetch_proof(ctx, url, &c.id)?)),
        };
        eprintln!("{}", tr(ctx.lang, "di-full-disclosure", &[]));
        return emit_presentation(ctx, &a, &text);
    }
    if disclose.is_empty() && a.profile.is_none() {
        return Err(CliError::usage("usage-present-needs-claims", &[]));
    }
    confirm_disclosure(ctx, c, &disclose, &a)?;
    let refs: Vec<&str> = disclose.iter().map(String::as_str).collect();
    let sd_jwt = crate::present_sd_jwt(&c.sd_jwt, &refs, &seed, &a.challenge, &a.audience, now())?;
    let text = match &a.node {
        None => sd_jwt,
        Some(url) => ledger_check::envelope_text(&sd_jwt, Some(fetch_proof(ctx, url, &c.id)?)),
    };
    emit_presentation(ctx, &a, &text)
}

/// The portable ledger proof of the stored credential `id` (hex), asked of the node at `url`;
/// warns when the node says the credential is not active.
fn fetch_proof(ctx: &Ctx, url: &str, id: &str) -> Result<ledger_check::ProofJson, CliError> {
    let node = NodeClient::new(url).map_err(ledger_check::LedgerError::from)?;
    let mut bytes = [0u8; 16];
    hex::decode_to_slice(id, &mut bytes).map_err(|_| CliError::usage("usage-stored-id", &[id]))?;
    let (proof, status) = ledger_check::fetch_proof(&node, &bytes)?;
    if status != "active" {
        eprintln!("{}", tr(ctx.lang, "status-warning", &[&status]));
    }
    Ok(proof)
}

/// Writes the presentation text to `--out` (else standard output, unless only QR output was
/// asked) and its QR codes; files private, and checked before any is written.
fn emit_presentation(ctx: &Ctx, a: &PresentArgs, text: &str) -> Result<i32, CliError> {
    let qr_outputs = QrOutputs {
        terminal: a.qr,
        png: a.qr_png.as_deref(),
        text: a.qr_text.as_deref(),
        compact: a.compact_qr,
    };
    let mut files: Vec<PathBuf> = a.out.iter().cloned().collect();
    files.extend(qr_outputs.paths(text));
    output_file::check_free(&files, a.existing)?;
    match &a.out {
        Some(out) => {
            output_file::write_private(out, text.as_bytes(), a.existing)?;
            eprintln!(
                "{}",
                tr(
                    ctx.lang,
                    "presentation-written",
                    &[&out.display().to_string()]
                )
            );
        }
        None if !a.qr && a.qr_png.is_none() && a.qr_text.is_none() => println!("{text}"),
        None => {}
    }
    write_qr_outputs(ctx, text, &qr_outputs, a.existing)?;
    Ok(0)
}

/// Shows (on standard error) the claims the presentation will disclose, labelled in the
/// holder's language, and asks on the terminal unless `--yes`. Without a terminal and without
/// `--yes` nothing is disclosed ([`CliError::NotConfirmed`]).
fn confirm_disclosure(
    ctx: &Ctx,
    c: &StoredCredential,
    names: &[String],
    a: &PresentArgs,
) -> Result<(), CliError> {
    let held = claim_labels::claims_of(c);
    let shown: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let value = held
                .iter()
                .find(|(h, _)| h == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (n.clone(), value)
        })
        .collect();
    let mut err = std::io::stderr().lock();
    let count = shown.len().to_string();
    let _ = writeln!(
        err,
        "{}",
        tr(ctx.lang, "present-will-disclose", &[&count, &a.audience])
    );
    for line in claim_labels::lines(ctx.lang, &shown) {
        let _ = writeln!(err, "{line}");
    }
    let _ = err.flush();
    drop(err);
    confirm(
        ctx,
        a.yes,
        &Question {
            ask: "present-confirm",
            no_terminal: "present-no-terminal",
            declined: "present-declined",
        },
    )
}
