//! The holder's commands: init, recover, backup, receive, list, show.

use super::*;

/// The text file of a recovery sheet: `<sheet>` with the extension `.txt`.
pub fn sheet_text_path(png: &Path) -> PathBuf {
    png.with_extension("txt")
}

/// The two files of a recovery sheet, checked: `png` and its [`sheet_text_path`], free unless
/// `existing` allows replacing them.
pub(super) fn sheet_paths(png: &Path, existing: Existing) -> Result<PathBuf, CliError> {
    let txt = sheet_text_path(png);
    if txt == png {
        return Err(CliError::usage("usage-recovery-sheet-png", &[]));
    }
    output_file::check_free(&[png.to_path_buf(), txt.clone()], existing)?;
    Ok(txt)
}

/// Writes the recovery sheet: a PNG of the phrase's QR code with the numbered words drawn
/// below it ([`crate::sheet_image`]) at `png`, and the numbered words with instructions, in
/// `lang`, at [`sheet_text_path`]. Both files are created readable by the owner only, and not
/// over existing files unless `existing` says so.
pub(super) fn write_recovery_sheet(
    lang: Lang,
    png: &Path,
    phrase: &str,
    did: &str,
    existing: Existing,
) -> Result<PathBuf, CliError> {
    let txt = sheet_paths(png, existing)?;
    let image = crate::sheet_image::png(phrase, 8)?;
    let mut text = format!(
        "{}\n\n{}\n\n{}\n\n",
        tr(lang, "sheet-title", &[]),
        tr(lang, "sheet-warning", &[]),
        tr(lang, "holder-did", &[did])
    );
    for (i, word) in phrase.split(' ').enumerate() {
        text.push_str(&format!("{:>2}. {word}\n", i + 1));
    }
    text.push('\n');
    text.push_str(&tr(lang, "sheet-instructions", &[]));
    text.push('\n');
    output_file::write_private(png, &image, existing)?;
    if let Err(e) = output_file::write_private(&txt, text.as_bytes(), existing) {
        let _ = std::fs::remove_file(png);
        return Err(e);
    }
    Ok(txt)
}

pub(super) fn print_sheet_written(ctx: &Ctx, png: &Path, txt: &Path) {
    println!(
        "{}",
        tr(
            ctx.lang,
            "sheet-written",
            &[&png.display().to_string(), &txt.display().to_string()]
        )
    );
}

pub(super) fn init(ctx: &Ctx, sheet: Option<&Path>) -> Result<i32, CliError> {
    if ctx.wallet_path.exists() {
        return Err(WalletError::AlreadyExists(ctx.wallet_path.clone()).into());
    }
    if let Some(png) = sheet {
        sheet_paths(png, Existing::Refuse)?;
    }
    let pass = ctx.new_passphrase()?;
    let phrase = recovery::new_phrase()?;
    let seed = recovery::holder_seed_from_phrase(&phrase)?;
    // The phrase is shown first, and nothing is written until it has been: when nobody reads
    // the output (`nansen init | head -2`), the command ends there (SIGPIPE, see main.rs) or
    // fails here, and no wallet exists whose phrase was never shown.
    let mut out = std::io::stdout().lock();
    let shown = (|| {
        writeln!(out, "{}\n", tr(ctx.lang, "phrase-header", &[]))?;
        for (i, word) in phrase.split(' ').enumerate() {
            write!(out, "{:>2}. {:<10}", i + 1, word)?;
            if i % 6 == 5 {
                writeln!(out)?;
            }
        }
        writeln!(out)?;
        out.flush()
    })();
    drop(out);
    shown.map_err(|e| CliError::Io(PathBuf::from("<stdout>"), e))?;
    // The sheet is written next: a wallet whose sheet could not be written is not created.
    let sheet_txt = match sheet {
        Some(png) => Some(write_recovery_sheet(
            ctx.lang,
            png,
            &phrase,
            &did::did_key_from_seed(&seed),
            Existing::Refuse,
        )?),
        None => None,
    };
    if let Err(e) = Wallet::create(
        &ctx.wallet_path,
        pass.as_bytes(),
        WalletData::new(&seed),
        kdf_params(),
    ) {
        if let (Some(png), Some(txt)) = (sheet, &sheet_txt) {
            let _ = std::fs::remove_file(png);
            let _ = std::fs::remove_file(txt);
        }
        return Err(e.into());
    }
    let path = ctx.wallet_path.display().to_string();
    println!("{}", tr(ctx.lang, "wallet-created", &[&path]));
    println!(
        "{}",
        tr(ctx.lang, "holder-did", &[&did::did_key_from_seed(&seed)])
    );
    if let (Some(png), Some(txt)) = (sheet, &sheet_txt) {
        print_sheet_written(ctx, png, txt);
    }
    Ok(0)
}

pub(super) fn recover(
    ctx: &Ctx,
    force: bool,
    sheet: Option<&Path>,
    sheet_image: Option<&Path>,
    backup: Option<&Path>,
) -> Result<i32, CliError> {
    if ctx.wallet_path.exists() && !force {
        return Err(WalletError::AlreadyExists(ctx.wallet_path.clone()).into());
    }
    let existing = Existing::from_force(force);
    if let Some(png) = sheet {
        sheet_paths(png, existing)?;
    }
    let phrase = match sheet_image {
        Some(image) => read_phrase_qr(image)?,
        None => read_phrase(ctx, std::io::stdin().lock())?,
    };
    let seed = recovery::holder_seed_from_phrase(&phrase)?;
    // The backup is opened before anything is created: a backup that cannot be read leaves
    // no wallet behind.
    let data = recovered_data(&seed, backup)?;
    let pass = ctx.new_passphrase()?;
    let w = if force {
        Wallet::create_replacing(&ctx.wallet_path, pass.as_bytes(), data, kdf_params())?
    } else {
        Wallet::create(&ctx.wallet_path, pass.as_bytes(), data, kdf_params())?
    };
    keep_backup(ctx, &w.data);
    let path = ctx.wallet_path.display().to_string();
    println!("{}", tr(ctx.lang, "wallet-recovered", &[&path]));
    let holder = did::did_key_from_seed(&seed);
    println!("{}", tr(ctx.lang, "holder-did", &[&holder]));
    print_recovered_credentials(ctx, &w.data);
    drop(w);
    if let Some(png) = sheet {
        // The phrase as typed may differ in case, spacing and numbering: the sheet shows it
        // normalized.
        let words = recovery::normalize(&phrase);
        let txt = write_recovery_sheet(ctx.lang, png, &words, &holder, existing)?;
        print_sheet_written(ctx, png, &txt);
    }
    Ok(0)
}

/// The most a typed or piped phrase may take (24 words are under 250 bytes).
const PHRASE_INPUT_LIMIT: u64 = 64 * 1024;

/// Reads the recovery phrase from `input` (standard input): lines until 24 words have come
/// (spaces or one word per line, sheet numbers skipped) or the input ends. On a terminal the
/// holder is asked for it first.
pub(super) fn read_phrase(ctx: &Ctx, input: impl BufRead) -> Result<Zeroizing<String>, CliError> {
    if std::io::stdin().is_terminal() {
        eprintln!("{}", tr(ctx.lang, "phrase-prompt-lines", &[]));
    }
    let mut input = input.take(PHRASE_INPUT_LIMIT);
    let mut phrase = Zeroizing::new(String::new());
    loop {
        let mut line = Zeroizing::new(String::new());
        let n = input
            .read_line(&mut line)
            .map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
        if n == 0 {
            break;
        }
        phrase.push_str(&line);
        phrase.push('\n');
        if recovery::words(&phrase).count() >= recovery::WORDS {
            break;
        }
    }
    Ok(phrase)
}

pub(super) fn backup_export(ctx: &Ctx, out: &Path) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let pass = secrets::new_passphrase(ctx.lang, secrets::BACKUP_VARS, "backup-passphrase-prompt")?;
    let bytes = crate::wallet::seal_backup(&w.data, pass.as_bytes(), kdf_params())?;
    // Two exports to one file at once: each replaces the file whole, under its lock.
    let _lock = crate::file_lock::FileLock::exclusive(out)
        .map_err(|e| CliError::Io(crate::file_lock::lock_path(out), e))?;
    crate::wallet::atomic_write(out, &bytes)?;
    let n = w.data.credentials.len().to_string();
    println!(
        "{}",
        tr(
            ctx.lang,
            "backup-written",
            &[&n, &out.display().to_string()]
        )
    );
    Ok(0)
}

/// Merges `backup`'s credentials into `into`: a credential not held is added; one held is
/// replaced only by a copy checked more recently. Returns (added, already held).
pub fn merge_credentials(into: &mut WalletData, backup: &WalletData) -> (usize, usize) {
    let (mut added, mut held) = (0, 0);
    for c in &backup.credentials {
        match into.credentials.iter_mut().find(|h| h.id == c.id) {
            Some(h) => {
                held += 1;
                if c.status.checked_at > h.status.checked_at {
                    *h = c.clone();
                }
            }
            None => {
                added += 1;
                into.credentials.push(c.clone());
            }
        }
    }
    (added, held)
}

pub(super) fn backup_import(ctx: &Ctx, file: &Path) -> Result<i32, CliError> {
    let bytes = read(file)?;
    if is_recovery_backup(&bytes) {
        let mut w = ctx.open_for_update()?;
        let backup = crate::recovery_backup::read(file, &*w.data.seed()?)?;
        return finish_import(ctx, &mut w, &backup);
    }
    let pass = secrets::passphrase(
        ctx.lang,
        secrets::BACKUP_VARS,
        "backup-passphrase-prompt",
        false,
    )?;
    let mut w = ctx.open_for_update()?;
    let backup = crate::wallet::open_backup(&bytes, pass.as_bytes()).map_err(|e| match e {
        WalletError::WrongPassphrase => CliError::Backup(BackupError::WrongBackupPassphrase),
        WalletError::Corrupted(why) => CliError::Backup(BackupError::BackupCorrupted(why)),
        WalletError::UnsupportedVersion(v) => {
            CliError::Backup(BackupError::BackupCorrupted(format!("format version {v}")))
        }
        other => CliError::Wallet(other),
    })?;
    let wallet_did = did::did_key_from_seed(&*w.data.seed()?);
    let backup_did = did::did_key_from_seed(&*backup.seed()?);
    if wallet_did != backup_did {
        return Err(BackupError::BackupOfAnotherHolder {
            backup: backup_did,
            wallet: wallet_did,
        }
        .into());
    }
    finish_import(ctx, &mut w, &backup)
}

/// Merges an opened backup into the wallet, saves it and says what changed.
fn finish_import(ctx: &Ctx, w: &mut Wallet, backup: &WalletData) -> Result<i32, CliError> {
    let (added, held) = merge_credentials(&mut w.data, backup);
    if added > 0 || held > 0 {
        save(ctx, w)?;
    }
    println!(
        "{}",
        tr(
            ctx.lang,
            "backup-imported",
            &[&added.to_string(), &held.to_string()]
        )
    );
    Ok(0)
}

/// Checks a received bundle against the holder's key; returns what the wallet stores.
pub fn check_bundle(
    bundle: &Value,
    holder_seed: &[u8; 32],
    now: i64,
) -> Result<StoredCredential, CliError> {
    let di = bundle
        .get("data_integrity")
        .ok_or_else(|| CliError::rejected("rejected-no-di", &[]))?;
    let sd = bundle
        .get("sd_jwt")
        .and_then(Value::as_str)
        .ok_or_else(|| CliError::rejected("rejected-no-sd-jwt", &[]))?;
    let holder_key = did::public_key_from_seed(holder_seed);
    let holder_did = did::did_key_from_public_key(&holder_key);
    let verified = crate::verify_data_integrity_credential(di, now)?;
    let contents = &verified.contents;
    if contents.holder_did != holder_did {
        return Err(CliError::rejected("rejected-other-holder", &[]));
    }
    let issuer_key = did::public_key_from_did_key(&contents.issuer_did)?;
    let claims = sd_jwt::verify_issuer_part(sd, &issuer_key, Some(sd_jwt::SD_JWT_VC_TYP), now)?;
    let text = |n: &str| claims.get(n).and_then(Value::as_str).unwrap_or_default();
    if text("iss") != contents.issuer_did {
        return Err(CliError::rejected("rejected-issuers-differ", &[]));
    }
    if text("sub") != holder_did {
        return Err(CliError::rejected("rejected-sd-jwt-other-holder", &[]));
    }
    if text("jti") != credential::id_to_urn(&contents.id) {
        return Err(CliError::rejected("rejected-ids-differ", &[]));
    }
    if text("vct") != contents.claims.kind().vct() {
        return Err(CliError::rejected("rejected-kinds-differ", &[]));
    }
    let cnf = claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .and_then(|j| j.get("x"))
        .and_then(Value::as_str);
    if cnf != Some(URL_SAFE_NO_PAD.encode(holder_key).as_str()) {
        return Err(CliError::rejected("rejected-other-key", &[]));
    }
    for (name, value) in contents.claims.iter() {
        if claims.get(name).and_then(Value::as_str) != Some(value) {
            return Err(CliError::rejected("rejected-claim-differs", &[name]));
        }
    }
    Ok(StoredCredential {
        id: hex::encode(contents.id),
        kind: contents.claims.kind().name().to_owned(),
        issuer: contents.issuer_did.clone(),
        data_integrity: di.clone(),
        sd_jwt: sd.to_owned(),
        received_at: now,
        status: CheckedStatus {
            state: NOT_CHECKED.into(),
            checked_at: now,
        },
    })
}

/// The stored status of a credential whose ledger status was not asked (received without
/// `--node`): its signatures and holder were checked, nothing else.
pub const NOT_CHECKED: &str = "not-checked";

/// The ledger checks of a received credential against a node: the attestation is in the
/// node's ledger (validated into a local replica) with both digests of the bundle, the issuer
/// is accredited for it, and the node's status. Returns the status word (`active`,
/// `revoked`, ...) to store; an unanchored credential or an unaccredited issuer is
/// [`CliError::LedgerRefused`].
pub fn ledger_status_of(
    stored: &StoredCredential,
    node: &str,
    now: i64,
) -> Result<String, CliError> {
    let mut id = [0u8; 16];
    hex::decode_to_slice(&stored.id, &mut id)
        .map_err(|_| CliError::usage("usage-stored-id", &[&stored.id]))?;
    let setup = ledger_setup(
        &LedgerArgs {
            node: Some(node.to_owned()),
            witnesses: Vec::new(),
            ledger_file: None,
        },
        &id,
    )?;
    let sd_digest = crate::digest::sd_digest(&stored.sd_jwt);
    let presented = ledger_check::Presented {
        id,
        sd_digest,
        issuer_did: &stored.issuer,
        issuer_key: did::public_key_from_did_key(&stored.issuer)?,
        kind: &stored.kind,
    };
    let digests = ledger_check::Digests {
        di: Some(crate::digest::di_digest(&stored.data_integrity)?),
        sd: Some(sd_digest),
    };
    let report = ledger_check::run_checks_matching(&presented, digests, &setup.sources(None), now);
    for check in &report.checks {
        match (&check.outcome, check.name) {
            (Outcome::Fail(e), "credential-status") if e != "NodeUnreachable" => {
                let word = report.info["status"]["status"]
                    .as_str()
                    .unwrap_or("unknown");
                return Ok(word.to_owned());
            }
            (Outcome::Fail(e), _) => {
                return Err(CliError::LedgerRefused {
                    check: check.name,
                    error: e.clone(),
                    detail: check.detail.clone(),
                    message: Box::new(check.message.clone()),
                })
            }
            (Outcome::Skip, "ledger-anchoring" | "issuer-accredited" | "credential-status") => {
                return Err(CliError::LedgerRefused {
                    check: check.name,
                    error: "NotChecked".into(),
                    detail: check.detail.clone(),
                    message: Box::new(check.message.clone()),
                })
            }
            _ => {}
        }
    }
    Ok("active".into())
}

pub(super) fn receive(ctx: &Ctx, bundle: &[u8], node: Option<&str>) -> Result<i32, CliError> {
    let bundle: Value = serde_json::from_slice(bundle).map_err(|source| CliError::NotJson {
        code: "CredentialRejected",
        key: "bundle-not-json",
        what: None,
        source,
    })?;
    // The wallet is locked from this read until its save: a second `receive` at the same time
    // waits, then reads the wallet with this credential in it.
    let mut w = ctx.open_for_update()?;
    let now = now();
    let mut stored = check_bundle(&bundle, &*w.data.seed()?, now)?;
    let status = match node {
        Some(url) => Some(ledger_status_of(&stored, url, now)?),
        None => None,
    };
    if let Some(word) = &status {
        stored.status.state = word.clone();
    }
    let (id, kind) = (stored.id.clone(), stored.kind.clone());
    w.data.credentials.retain(|c| c.id != stored.id);
    w.data.credentials.push(stored);
    save(ctx, &w)?;
    println!("{}", tr(ctx.lang, "received", &[&id, &kind]));
    match (&status, node) {
        (Some(word), Some(url)) if word == "active" => {
            println!("{}", tr(ctx.lang, "received-anchored", &[url]));
            Ok(0)
        }
        (Some(word), Some(url)) => {
            let name = status_error_name(word);
            eprintln!("{}", tr(ctx.lang, "received-flagged", &[name, word, url]));
            Ok(1)
        }
        _ => {
            println!("{}", tr(ctx.lang, "received-not-checked", &[]));
            Ok(0)
        }
    }
}

/// The error name of a credential status word, as the verifier's `credential-status` check
/// reports it.
pub(super) fn status_error_name(word: &str) -> &'static str {
    match word {
        "revoked" => "CredentialRevoked",
        "superseded" => "CredentialSuperseded",
        "disputed" => "CredentialDisputed",
        "ambiguous" => "CredentialAmbiguous",
        _ => "CredentialUnknown",
    }
}

pub(super) fn list(ctx: &Ctx) -> Result<i32, CliError> {
    let w = ctx.open()?;
    if w.data.credentials.is_empty() {
        println!("{}", tr(ctx.lang, "no-credentials", &[]));
        println!("{}", tr(ctx.lang, "no-credentials-hint", &[]));
    }
    for c in &w.data.credentials {
        println!(
            "{}  {:<22} {}  {}",
            c.id,
            c.kind,
            c.issuer,
            status_line(ctx.lang, &c.status)
        );
    }
    Ok(0)
}

pub(super) fn find<'a>(w: &'a Wallet, id: &str) -> Result<&'a StoredCredential, CliError> {
    let wanted = id
        .trim()
        .trim_start_matches("urn:uuid:")
        .replace('-', "")
        .to_ascii_lowercase();
    let matches: Vec<_> = w
        .data
        .credentials
        .iter()
        .filter(|c| !wanted.is_empty() && c.id.starts_with(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::usage("usage-no-credential", &[id])),
        _ => Err(CliError::usage("usage-several-credentials", &[id])),
    }
}

pub(super) fn show(ctx: &Ctx, id: &str, as_json: bool) -> Result<i32, CliError> {
    let w = ctx.open()?;
    let c = find(&w, id)?;
    if as_json {
        let subject = c.data_integrity.get("credentialSubject").cloned();
        let out = json!({
            "id": c.id,
            "urn": c.data_integrity.get("id"),
            "kind": c.kind,
            "issuer": c.issuer,
            "validFrom": c.data_integrity.get("validFrom"),
            "claims": subject,
            "status": c.status.state,
            "checkedAt": credential::format_timestamp(c.status.checked_at).ok(),
        });
        let text = serde_json::to_string_pretty(&out)
            .map_err(|e| CliError::usage("usage-credential-fault", &[&c.id, &e.to_string()]))?;
        println!("{text}");
        return Ok(0);
    }
    let lang = ctx.lang;
    let valid_from = c
        .data_integrity
        .get("validFrom")
        .and_then(Value::as_str)
        .unwrap_or_default();
    println!("{}", tr(lang, "show-credential", &[&c.id, &c.kind]));
    println!("{}", tr(lang, "show-issuer", &[&c.issuer]));
    println!("{}", tr(lang, "show-valid-from", &[valid_from]));
    println!("{}", status_line(lang, &c.status));
    println!();
    for line in claim_labels::lines(lang, &claim_labels::claims_of(c)) {
        println!("{line}");
    }
    Ok(0)
}

/// "Status: active (checked 2026-12-07T05:00:00Z)", or "not checked on the ledger".
pub(super) fn status_line(lang: Lang, status: &CheckedStatus) -> String {
    let when = credential::format_timestamp(status.checked_at).unwrap_or_default();
    if status.state == NOT_CHECKED {
        tr(lang, "status-not-checked", &[&when])
    } else {
        tr(
            lang,
            "status-checked",
            &[&state_label(lang, &status.state), &when],
        )
    }
}

/// A ledger status word (`active`, `revoked`, ...) in `lang`; an unknown word as it is.
pub(super) fn state_label(lang: Lang, state: &str) -> String {
    let key = format!("state-{state}");
    let text = tr(lang, &key, &[]);
    if text == key {
        state.to_owned()
    } else {
        text
    }
}
