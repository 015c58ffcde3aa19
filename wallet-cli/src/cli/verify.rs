//! The verifier's `verify`: every check by name, online against a node or offline.

use super::*;

use nansen_verifier::verdict::CheckState;
pub use nansen_verifier::verdict::{check_of, Form, Verdict, CHECKS};

pub(super) fn nonce_file(state_dir: &Path, audience: &str) -> PathBuf {
    state_dir.join(format!(
        "used-nonces-{}.txt",
        nansen_verifier::replay::record_name(audience)
    ))
}

/// Records `challenge` as used; false if it was used before (the rule of
/// [`nansen_verifier::replay::spend`]).
///
/// The record is read, changed and written back under an exclusive lock, and written durably
/// (fsync of the file and its directory) before the verdict is shown: two verifiers at once
/// lose no nonce, and a crash after a verdict cannot forget it.
pub(super) fn use_nonce(
    state_dir: &Path,
    audience: &str,
    nonce: &str,
    now: i64,
    max_age: i64,
) -> Result<bool, CliError> {
    let path = nonce_file(state_dir, audience);
    let _lock = crate::file_lock::FileLock::exclusive(&path)
        .map_err(|e| CliError::Io(crate::file_lock::lock_path(&path), e))?;
    let existing = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(CliError::Io(path, e)),
    };
    let Some(kept) = nansen_verifier::replay::spend(&existing, nonce, now, max_age) else {
        return Ok(false);
    };
    crate::wallet::replace_file(&path, kept.as_bytes()).map_err(|e| match e {
        crate::wallet::WalletError::Io(io) => CliError::Io(path.clone(), io),
        other => CliError::Wallet(other),
    })?;
    Ok(true)
}

/// What the verifier brings for the ledger checks.
pub struct LedgerArgs {
    /// `--node`.
    pub node: Option<String>,
    /// `--witness`, repeated.
    pub witnesses: Vec<String>,
    /// `--ledger` and `--genesis`.
    pub ledger_file: Option<(PathBuf, PathBuf)>,
}

impl LedgerArgs {
    fn any(&self) -> bool {
        self.node.is_some() || !self.witnesses.is_empty() || self.ledger_file.is_some()
    }
}

/// The ledger sources named by the arguments: node, witness keys, replica, network.
pub(super) struct LedgerSetup {
    /// What the node answered about the credential's status, when a node was given.
    node_status: Option<ledger_check::NodeStatus>,
    witnesses: Vec<ledger::checkpoint::VerifierKey>,
    replica: Option<ledger_check::Replica>,
    network: Option<ledger::types::NetworkId>,
    /// The freshness policy (seconds): [`ledger_check::DEFAULT_MAX_EVIDENCE_AGE`] unless the
    /// verifier sets another.
    pub(super) max_evidence_age: i64,
}

impl LedgerSetup {
    /// The sources for the ledger checks, with the proof a presentation carried.
    pub(super) fn sources<'a>(
        &'a self,
        proof: Option<&'a ledger_check::ProofJson>,
    ) -> ledger_check::Sources<'a> {
        ledger_check::Sources {
            proof,
            network: self.network,
            witnesses: &self.witnesses,
            replica: self.replica.as_ref(),
            node: self.node_status.as_ref(),
            max_evidence_age: self.max_evidence_age,
        }
    }
}

/// The ledger sources for checking `credential` (a replica from a node holds only the chains
/// that matter for it).
pub(super) fn ledger_setup(
    args: &LedgerArgs,
    credential: &[u8; 16],
) -> Result<LedgerSetup, CliError> {
    let node = args
        .node
        .as_deref()
        .map(NodeClient::new)
        .transpose()
        .map_err(ledger_check::LedgerError::from)?;
    let mut witnesses = Vec::new();
    for w in &args.witnesses {
        witnesses.push(
            ledger::checkpoint::VerifierKey::parse(w)
                .map_err(|e| CliError::usage("usage-bad-witness", &[w, &e.to_string()]))?,
        );
    }
    if witnesses.is_empty() {
        if let Some(n) = &node {
            witnesses = ledger_check::node_witness_keys(n)?;
        }
    }
    let replica = match (&args.ledger_file, &node) {
        (Some((l, g)), _) => Some(ledger_check::replica_from_file(l, g)?),
        (None, Some(n)) => Some(ledger_check::replica_from_node(n, Some(credential))?),
        (None, None) => None,
    };
    let network = match (&replica, &node) {
        (Some(r), _) => Some(r.store.network()),
        (None, Some(n)) => {
            let (id, _) = ledger_check::node_network(n)?;
            ledger::types::Hash32::from_hex(&id)
        }
        (None, None) => None,
    };
    if let (Some(r), Some(n)) = (&replica, &node) {
        let (id, _) = ledger_check::node_network(n)?;
        if r.store.network().to_hex() != id {
            return Err(CliError::usage("usage-other-network", &[]));
        }
    }
    let node_status = node
        .as_ref()
        .map(|n| ledger_check::node_status(n, credential));
    Ok(LedgerSetup {
        node_status,
        witnesses,
        replica,
        network,
        max_evidence_age: ledger_check::DEFAULT_MAX_EVIDENCE_AGE,
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn verify(
    ctx: &Ctx,
    text: &str,
    challenge: Option<&str>,
    audience: Option<&str>,
    max_age: i64,
    max_evidence_age: i64,
    state_dir: &Path,
    json_out: bool,
    ledger_args: &LedgerArgs,
    portrait_out: Option<&Path>,
) -> Result<i32, CliError> {
    let now = now();
    // A bare credential is bound to no challenge; a presentation needs the verifier's.
    let bare_credential = is_di_credential(text);
    let (challenge, audience) = match (challenge, audience, bare_credential) {
        (Some(c), Some(a), false) => (c, a),
        (_, _, true) => (challenge.unwrap_or_default(), audience.unwrap_or_default()),
        _ => return Err(CliError::usage("usage-verify-needs-challenge", &[])),
    };
    let request = crate::KeyBindingRequest {
        nonce: challenge,
        audience,
        now,
        max_age_secs: max_age,
    };
    // A Data Integrity presentation (a VerifiablePresentation object) or an SD-JWT one (bare
    // or in an envelope): each has its list of checks; a failure names its check.
    // A Data Integrity presentation is either bare (the VP object) or in an envelope with
    // its ledger proof.
    let opened = if is_di_presentation(text) {
        Ok((
            ledger_check::PresentationForm::DataIntegrity(text.to_owned()),
            None,
        ))
    } else {
        ledger_check::open_envelope(text)
    };
    let di_form = matches!(
        opened,
        Ok((ledger_check::PresentationForm::DataIntegrity(_), _))
    );
    let form = match (bare_credential, di_form) {
        (true, _) => Form::Credential,
        (false, true) => Form::DataIntegrity,
        (false, false) => Form::SdJwt,
    };
    type Outcome3 = (
        nansen_verifier::verdict::Checked,
        Option<ledger_check::ProofJson>,
        Option<[u8; 32]>,
    );
    let (checked, proof, di_digest): Outcome3 = match opened {
        _ if bare_credential => match check_di_credential(text, now) {
            Ok((d, digest)) => (Ok(d), None, Some(digest)),
            Err(f) => (Err(f), None, None),
        },
        Ok((ledger_check::PresentationForm::DataIntegrity(vp), proof)) => {
            match check_di_presentation(&vp, challenge, audience, now, max_age) {
                Ok((d, digest)) => (Ok(d), proof, Some(digest)),
                Err(f) => (Err(f), None, None),
            }
        }
        Ok((ledger_check::PresentationForm::SdJwt(sd), proof)) => (
            crate::verify_sd_jwt_presentation(&sd, &request).map_err(|e| (check_of(&e), e)),
            proof,
            None,
        ),
        Err(e) => (Err(("format", e)), None, None),
    };
    // The ledger checks run on a presentation that passed every check above. Anything that
    // stops them (a node down, a missing file) ends the command before the challenge is spent.
    let ledger = |d: &crate::DisclosedCredential| -> Result<_, CliError> {
        if !ledger_args.any() && proof.is_none() {
            return Ok(None);
        }
        let mut setup = ledger_setup(ledger_args, &d.id)?;
        setup.max_evidence_age = max_evidence_age;
        let presented = ledger_check::Presented {
            id: d.id,
            sd_digest: d.sd_digest,
            issuer_did: &d.issuer_did,
            issuer_key: did::public_key_from_did_key(&d.issuer_did)?,
            kind: d.kind.name(),
        };
        let digests = match di_digest {
            Some(di) => ledger_check::Digests {
                di: Some(di),
                sd: None,
            },
            None => ledger_check::Digests {
                di: None,
                sd: Some(d.sd_digest),
            },
        };
        Ok(Some(ledger_check::run_checks_matching(
            &presented,
            digests,
            &setup.sources(proof.as_ref()),
            now,
        )))
    };
    // A verdict is reached: only now is the challenge spent (once, under a lock).
    let spend = || use_nonce(state_dir, audience, challenge, now, max_age);
    // The failed presentation check's error in the language, its kind name kept as a code.
    let failure: Option<(&'static str, String)> = checked.as_ref().err().map(|(check, e)| {
        (
            *check,
            format!(
                "{}: {}",
                e.name(),
                crate::i18n::credential_error(ctx.lang, e)
            ),
        )
    });
    let report = nansen_verifier::verdict::finish(form, checked, di_digest, ledger, spend)?;
    let verdict = report.verdict;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
        );
    } else {
        let lines: Vec<_> = report.checks.iter().chain(&report.ledger_checks).collect();
        let names: Vec<String> = lines
            .iter()
            .map(|c| crate::i18n::check_name(ctx.lang, c.name))
            .collect();
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(20);
        for (c, name) in lines.iter().zip(&names) {
            let pad = " ".repeat(width - name.chars().count());
            let mut line = format!("{name}{pad} {}", tr(ctx.lang, c.state.message_key(), &[]));
            // A ledger check's detail in the language (its error name kept as a code).
            let detail = match (&c.message, &c.error) {
                (Some(m), Some(e)) => format!("{e}: {}", crate::i18n::check_detail(ctx.lang, m)),
                (Some(m), None) => crate::i18n::check_detail(ctx.lang, m),
                (None, _) => match &failure {
                    Some((check, text)) if *check == c.name && c.state == CheckState::Fail => {
                        text.clone()
                    }
                    _ if c.name == "replay" && c.state == CheckState::Fail => {
                        format!("NonceReused: {}", tr(ctx.lang, "cred-NonceReused", &[]))
                    }
                    _ => c.detail.clone(),
                },
            };
            if !detail.is_empty() {
                line.push_str(&format!("  ({detail})"));
            }
            println!("{line}");
        }
        if let Some(d) = &report.shown {
            println!("{}", tr(ctx.lang, "disclosed", &[]));
            let claims: &Map<String, Value> = &d.claims;
            for (k, v) in claims {
                let shown = portrait::shown_value(ctx.lang, k, v.as_str().unwrap_or_default());
                println!("  {k}: {shown}");
            }
            println!("  (kind: {}, issuer: {})", d.kind.name(), d.issuer_did);
        }
        match report.evidence_age {
            Some(age) => println!(
                "{}",
                tr(ctx.lang, "evidence-age", &[&ledger_check::age_text(age)])
            ),
            None => println!("{}", tr(ctx.lang, "evidence-none", &[])),
        }
        // The same three verdicts, worded for what was shown: a presentation, or a bare
        // credential (which says nothing about who shows it).
        let key = |k: &'static str| match (bare_credential, k) {
            (false, k) => k,
            (true, "verdict-fail") => "verdict-fail-credential",
            (true, "verdict-signature-only") => "verdict-signature-only-credential",
            (true, _) => "verdict-pass-credential",
        };
        match (verdict, report.failed) {
            (Verdict::Invalid, Some(f)) => {
                println!(
                    "{}",
                    tr(
                        ctx.lang,
                        key("verdict-fail"),
                        &[&crate::i18n::check_name(ctx.lang, f)]
                    )
                )
            }
            (Verdict::SignatureOnly, _) => println!(
                "{}",
                tr(
                    ctx.lang,
                    key("verdict-signature-only"),
                    &[&report
                        .unchecked
                        .iter()
                        .map(|n| crate::i18n::check_name(ctx.lang, n))
                        .collect::<Vec<_>>()
                        .join(", ")]
                )
            ),
            _ => println!("{}", tr(ctx.lang, key("verdict-pass"), &[])),
        }
    }
    if let Some(out) = portrait_out {
        portrait::write_portrait(ctx, report.shown.as_ref().map(|d| &d.claims), out)?;
    }
    Ok(verdict.exit_code())
}
