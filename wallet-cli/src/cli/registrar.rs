//! The registrar's commands: issue a credential, and reading the registrar's key file.

use super::*;
use crate::registrar_entries;

/// What to issue: the event, its claims, the holder, the registrar's key and, for a
/// correction, the credential it replaces.
pub(super) struct Issuance<'a> {
    pub(super) kind: &'a str,
    pub(super) claims: &'a ClaimsArgs,
    pub(super) holder: &'a str,
    pub(super) registrar_key: &'a Path,
    pub(super) supersedes: Option<[u8; 16]>,
}

/// Where the bundle goes: its file, its QR forms, and what to do with existing files.
pub(super) struct BundleOutputs<'a> {
    pub(super) out: &'a Path,
    pub(super) qr: QrOutputs<'a>,
    pub(super) existing: Existing,
}

/// Issues a credential (both forms) and writes the bundle, private and never over an existing
/// file without `--force`; with `--node`, anchors it on the registrar's chain: an attestation,
/// or with `supersedes` the replacement of that credential. Every output file is checked
/// before anything is written or anchored.
pub(super) fn issue(
    ctx: &Ctx,
    what: &Issuance,
    outputs: &BundleOutputs,
    anchor: &AnchorArgs,
) -> Result<i32, CliError> {
    let kind: EventKind = parse_event_kind(what.kind)?;
    let claims = what.claims.to_json()?;
    // Every claim problem is reported before anything else is asked (the key's passphrase).
    crate::EventClaims::for_issuance(kind, &claims)?;
    did::public_key_from_did_key(what.holder)?;
    let target = anchor_target(anchor, true)?;
    if what.supersedes.is_some() && target.is_none() {
        return Err(CliError::usage("usage-supersede-needs-node", &[]));
    }
    let out = outputs.out;
    let pending = output_file::sibling(out, ".pending");
    let mut files = vec![out.to_path_buf()];
    if target.is_some() {
        files.push(pending.clone());
    }
    output_file::check_free(&files, outputs.existing)?;
    let seed = registrar_seed(ctx, what.registrar_key)?;
    let issued = crate::issue(kind, &claims, what.holder, &seed, now())?;
    let bundle = json!({
        "id": credential::id_to_urn(&issued.id),
        "kind": kind.name(),
        "di_digest": hex::encode(issued.di_digest),
        "sd_digest": hex::encode(issued.sd_digest),
        "data_integrity": issued.data_integrity,
        "sd_jwt": issued.sd_jwt,
    });
    let text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    let compact = serde_json::to_string(&bundle).unwrap_or_default();
    // The QR files depend on the bundle's length: checked once it is made, still before
    // anything is written or anchored.
    output_file::check_free(&outputs.qr.paths(&compact), outputs.existing)?;
    let print_issued = || {
        println!("id={}", hex::encode(issued.id));
        println!("urn={}", credential::id_to_urn(&issued.id));
        println!("kind={}", kind.name());
        println!("di_digest={}", hex::encode(issued.di_digest));
        println!("sd_digest={}", hex::encode(issued.sd_digest));
        println!("issuer={}", did::did_key_from_seed(&seed));
    };
    let Some((node, registrar, jurisdiction)) = target else {
        output_file::write_private(out, text.as_bytes(), outputs.existing)?;
        write_qr_outputs(ctx, &compact, &outputs.qr, outputs.existing)?;
        print_issued();
        println!("anchored=no (no --node: anchor with `nansen-node registrar attest`)");
        return Ok(0);
    };
    // Anchored issuance: the bundle is written aside, and put in place only once the node has
    // accepted the attestation, so that a refused one leaves no credential to hand over.
    let attestation = registrar_entries::attestation(
        issued.id,
        issued.di_digest,
        issued.sd_digest,
        kind,
        &jurisdiction,
    )?;
    let payload = match what.supersedes {
        Some(old) => registrar_entries::supersession(old, attestation),
        None => ledger::payload::Payload::Attest(attestation),
    };
    output_file::write_private(&pending, text.as_bytes(), outputs.existing)?;
    let submitted = match registrar_entries::submit(&node, &registrar, &seed, payload, now_ms()) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&pending);
            return Err(e.into());
        }
    };
    output_file::publish(&pending, out, outputs.existing).map_err(|cause| {
        CliError::BundleNotPublished {
            pending: pending.clone(),
            out: out.to_path_buf(),
            cause,
        }
    })?;
    write_qr_outputs(ctx, &compact, &outputs.qr, outputs.existing)?;
    print_issued();
    print_submitted(&registrar, &submitted);
    Ok(0)
}

/// Revokes a credential: a revocation entry on the registrar's chain.
pub(super) fn revoke(
    ctx: &Ctx,
    id: &str,
    reason: &str,
    registrar_key: &Path,
    target: &RevocationTarget,
    yes: bool,
) -> Result<i32, CliError> {
    let id = parse_credential_id(id)?;
    let payload = registrar_entries::revocation(id, reason)?;
    let node = NodeClient::new(&target.node).map_err(crate::ledger_check::LedgerError::from)?;
    let id_hex = hex::encode(id);
    eprintln!(
        "{}",
        tr(
            ctx.lang,
            "revoke-about",
            &[&id_hex, reason, &target.registrar, &target.node]
        )
    );
    confirm(
        ctx,
        yes,
        &Question {
            ask: "revoke-confirm",
            no_terminal: "revoke-no-terminal",
            declined: "revoke-declined",
        },
    )?;
    let seed = registrar_seed(ctx, registrar_key)?;
    let submitted = registrar_entries::submit(&node, &target.registrar, &seed, payload, now_ms())?;
    println!("revoked={id_hex}");
    print_submitted(&target.registrar, &submitted);
    Ok(0)
}

/// A credential id given as 32 hex digits or `urn:uuid:...`.
pub(super) fn parse_credential_id(text: &str) -> Result<[u8; 16], CliError> {
    if text.starts_with("urn:uuid:") {
        return Ok(credential::id_from_urn(text)?);
    }
    let mut id = [0u8; 16];
    hex::decode_to_slice(text, &mut id)
        .map_err(|_| CliError::usage("usage-not-a-credential-id", &[&format!("{text:?}")]))?;
    Ok(id)
}

/// The node, registrar and jurisdiction to anchor with, or `None` without `--node`.
fn anchor_target(
    anchor: &AnchorArgs,
    needs_jurisdiction: bool,
) -> Result<Option<(NodeClient, String, String)>, CliError> {
    let Some(url) = &anchor.node else {
        return Ok(None);
    };
    let node = NodeClient::new(url).map_err(crate::ledger_check::LedgerError::from)?;
    let registrar = anchor
        .registrar
        .clone()
        .ok_or_else(|| CliError::usage("usage-node-needs-registrar", &[]))?;
    let jurisdiction = match &anchor.jurisdiction {
        Some(j) => ledger::types::Jurisdiction::from_input(j)
            .map_err(|e| {
                crate::registrar_entries::RegistrarEntryError::BadIdentifier(e.to_string())
            })?
            .as_str()
            .to_owned(),
        None if needs_jurisdiction => {
            return Err(CliError::usage("usage-node-needs-jurisdiction", &[]))
        }
        None => String::new(),
    };
    Ok(Some((node, registrar, jurisdiction)))
}

fn print_submitted(registrar: &str, submitted: &registrar_entries::Submitted) {
    println!("anchored=yes");
    println!("entry={registrar}#{}", submitted.seq);
    println!("entry_hash={}", submitted.hash);
    println!("outcome={}", submitted.outcome);
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Reads the registrar's signing seed from its key file, the `nansen-key/1` file
/// `nansen-node key generate --kind registrar` writes (`specs/key-files.md`; read by the one
/// implementation both binaries share). The file is checked before the passphrase is asked;
/// the passphrase comes from NANSEN_REGISTRAR_PASSPHRASE, NANSEN_PASSPHRASE or the terminal
/// (`secrets`).
pub(super) fn registrar_seed(ctx: &Ctx, path: &Path) -> Result<Zeroizing<[u8; 32]>, CliError> {
    use nansen_files::keyfile::{key_file_info, read_key_file, KeyFileError, KeyKind};
    // A file that cannot be read is an `Io` error, its cause told in the run's language.
    let bad = |e: KeyFileError| match e {
        KeyFileError::Io(cause) => CliError::Io(path.to_path_buf(), cause),
        KeyFileError::NotJson(source) => CliError::NotJson {
            code: "Usage",
            key: "key-not-json",
            what: Some(path.display().to_string()),
            source,
        },
        e => CliError::usage(
            "usage-registrar-key-file",
            &[&path.display().to_string(), &e.message(ctx.lang)],
        ),
    };
    let (kind, _) = key_file_info(path).map_err(bad)?;
    if kind != KeyKind::Registrar {
        return Err(bad(KeyFileError::WrongKind {
            expected: KeyKind::Registrar.name(),
            found: kind.name(),
        }));
    }
    let pass = secrets::passphrase(
        ctx.lang,
        secrets::REGISTRAR_VARS,
        "registrar-passphrase-prompt",
        false,
    )?;
    read_key_file(path, KeyKind::Registrar, &pass).map_err(bad)
}
