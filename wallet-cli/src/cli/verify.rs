//! The verifier's `verify`: every check by name, online against a node or offline.

use super::*;

/// The checks a verifier reports, in the order they run.
pub const CHECKS: &[&str] = &[
    "format",
    "issuer-signature",
    "disclosures",
    "holder-binding",
    "challenge",
    "audience",
    "freshness",
    "integrity",
    "claims",
    "replay",
];

/// The check a verification error belongs to.
pub fn check_of(e: &CredentialError) -> &'static str {
    use CredentialError as E;
    match e {
        E::MalformedSdJwt(_)
        | E::MalformedEnvelope(_)
        | E::WrongJwtAlgorithm(_)
        | E::WrongJwtType(_) => "format",
        E::InvalidIssuerSignature | E::InvalidIssuerClaims(_) | E::InvalidDidKey(_) => {
            "issuer-signature"
        }
        E::InvalidPublicKey => "issuer-signature",
        E::UnknownDisclosure(_) => "disclosures",
        E::MissingKeyBinding
        | E::MissingHolderKey
        | E::MalformedKeyBinding(_)
        | E::InvalidKeyBindingSignature => "holder-binding",
        E::NonceMismatch => "challenge",
        E::AudienceMismatch => "audience",
        E::StaleKeyBinding { .. } => "freshness",
        E::SdHashMismatch => "integrity",
        _ => "claims",
    }
}

pub(super) fn nonce_file(state_dir: &Path, audience: &str) -> PathBuf {
    use sha2::Digest as _;
    let h = sha2::Sha256::digest(audience.as_bytes());
    state_dir.join(format!("used-nonces-{}.txt", hex::encode(&h[..8])))
}

/// Records `nonce` as used; false if it was used before. Entries older than the retention
/// (2 × max_age + 1 day) are dropped: a replay that late fails the freshness check anyway.
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
    let retention = 2 * max_age.max(0) + 86_400;
    let mut kept = String::new();
    let mut seen = false;
    for line in existing.lines() {
        let mut it = line.split(' ');
        let (Some(n), Some(t)) = (it.next(), it.next().and_then(|t| t.parse::<i64>().ok())) else {
            continue;
        };
        if n == nonce {
            seen = true;
        }
        if now - t <= retention {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if seen {
        return Ok(false);
    }
    kept.push_str(&format!("{nonce} {now}\n"));
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
    node: Option<NodeClient>,
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
            node: self.node.as_ref(),
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
                .map_err(|e| CliError::Usage(format!("--witness {w}: {e}")))?,
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
            return Err(CliError::Usage(
                "the node and the genesis file are for different networks".into(),
            ));
        }
    }
    Ok(LedgerSetup {
        node,
        witnesses,
        replica,
        network,
        max_evidence_age: ledger_check::DEFAULT_MAX_EVIDENCE_AGE,
    })
}

/// The three verdicts of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed, the ledger checks included, on evidence within the policy.
    Valid,
    /// A check failed (named beside the verdict).
    Invalid,
    /// The signatures and the holder's binding passed, but the issuer's accreditation or the
    /// credential's status (or both) could not be checked: never shown as valid.
    SignatureOnly,
}

impl Verdict {
    /// The verdict's word in `--json` output.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::SignatureOnly => "signature-only",
        }
    }

    /// The exit code of `nansen verify`: 0 valid, 1 invalid, 3 signature only (2 is an
    /// error before any verdict).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::SignatureOnly => 3,
        }
    }
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
) -> Result<i32, CliError> {
    let now = now();
    // A bare credential is bound to no challenge; a presentation needs the verifier's.
    let bare_credential = is_di_credential(text);
    let (challenge, audience) = match (challenge, audience, bare_credential) {
        (Some(c), Some(a), false) => (c, a),
        (_, _, true) => (challenge.unwrap_or_default(), audience.unwrap_or_default()),
        _ => {
            return Err(CliError::Usage(
                "a presentation is checked against the challenge this verifier issued: give \
                 --challenge and --audience"
                    .into(),
            ))
        }
    };
    let request = crate::KeyBindingRequest {
        nonce: challenge,
        audience,
        now,
        max_age_secs: max_age,
    };
    // The nonce is recorded in hex so that any text fits on one line of the nonce file.
    let nonce_key = hex::encode(challenge.as_bytes());
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
    let checks: &[&str] = match (bare_credential, di_form) {
        (true, _) => CREDENTIAL_CHECKS,
        (false, true) => DI_CHECKS,
        (false, false) => CHECKS,
    };
    type Outcome3 = (
        Result<crate::DisclosedCredential, Failure>,
        Option<ledger_check::ProofJson>,
        Option<[u8; 32]>,
    );
    let (outcome, proof, di_digest): Outcome3 = match opened {
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
    let (mut failed, mut detail, disclosed) = match outcome {
        Ok(d) => (None, String::new(), Some(d)),
        Err((check, e)) => (
            Some(check),
            format!("{}: {e}", credential_error_name(&e)),
            None,
        ),
    };
    // The ledger checks run on a presentation that passed every check above. Anything that
    // stops them (a node down, a missing file) ends the command before the challenge is spent.
    let report = match disclosed.as_ref().filter(|_| failed.is_none()) {
        Some(d) if ledger_args.any() || proof.is_some() => {
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
            Some(ledger_check::run_checks_matching(
                &presented,
                digests,
                &setup.sources(proof.as_ref()),
                now,
            ))
        }
        _ => None,
    };
    // A verdict is reached: only now is the challenge spent (once, under a lock).
    if !bare_credential
        && failed.is_none()
        && !use_nonce(state_dir, audience, &nonce_key, now, max_age)?
    {
        failed = Some("replay");
        detail = "NonceReused: this challenge was already used".to_owned();
    }
    let ledger_failed = report.as_ref().and_then(|r| {
        r.checks
            .iter()
            .find(|c| matches!(c.outcome, Outcome::Fail(_)))
            .map(|c| c.name)
    });
    let failed_at = failed.and_then(|f| checks.iter().position(|c| *c == f));
    let results: Vec<(&str, &str)> = checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = match failed_at {
                Some(f) if i == f => "check-fail",
                Some(f) if i > f => "check-not-run",
                _ => "check-pass",
            };
            (*c, r)
        })
        .collect();
    // Ledger checks not run (presentation failed) or skipped (nothing to check against).
    let ledger_results: Vec<(&str, &str, String)> = match &report {
        Some(r) => r
            .checks
            .iter()
            .map(|c| match &c.outcome {
                Outcome::Pass => (c.name, "check-pass", c.detail.clone()),
                Outcome::Fail(e) => (c.name, "check-fail", format!("{e}: {}", c.detail)),
                Outcome::Skip => (c.name, "check-skip", c.detail.clone()),
            })
            .collect(),
        None => ledger_check::LEDGER_CHECKS
            .iter()
            .map(|n| {
                if failed.is_some() {
                    (*n, "check-not-run", String::new())
                } else {
                    (
                        *n,
                        "check-skip",
                        "no ledger proof, node or ledger file".into(),
                    )
                }
            })
            .collect(),
    };
    let failed_name = failed.or(ledger_failed);
    // Ledger checks that could not run: a verdict without them is "signature only", never
    // valid.
    let unchecked: Vec<&str> = ledger_results
        .iter()
        .filter(|(_, r, _)| *r == "check-skip")
        .map(|(n, _, _)| *n)
        .collect();
    let verdict = match (failed_name, unchecked.is_empty()) {
        (Some(_), _) => Verdict::Invalid,
        (None, true) => Verdict::Valid,
        (None, false) => Verdict::SignatureOnly,
    };
    let evidence_age = report
        .as_ref()
        .and_then(|r| r.info["evidence_age_seconds"].as_i64());
    // A replayed presentation's claims are not shown: the verdict is what counts.
    let shown = disclosed.as_ref().filter(|_| failed.is_none());
    if json_out {
        let mut checks: Vec<Value> = results
            .iter()
            .map(|(c, r)| {
                let result = match *r {
                    "check-fail" => "fail",
                    "check-not-run" => "not-run",
                    _ => "pass",
                };
                let mut o = json!({"name": c, "result": result});
                if *r == "check-fail" {
                    o["detail"] = json!(detail);
                }
                o
            })
            .collect();
        for (name, r, d) in &ledger_results {
            let result = match *r {
                "check-fail" => "fail",
                "check-not-run" => "not-run",
                "check-skip" => "skip",
                _ => "pass",
            };
            let mut o = json!({"name": name, "result": result, "detail": d});
            if let Some(Outcome::Fail(e)) = report.as_ref().and_then(|rep| {
                rep.checks
                    .iter()
                    .find(|c| c.name == *name)
                    .map(|c| c.outcome.clone())
            }) {
                o["error"] = json!(e);
            }
            checks.push(o);
        }
        let mut out = json!({
            "verdict": verdict.word(),
            "unchecked": unchecked,
            "evidence_age_seconds": evidence_age,
            "form": match (bare_credential, di_form) {
                (true, _) => "credential",
                (false, true) => "data-integrity",
                (false, false) => "sd-jwt",
            },
            "checks": checks,
            "ledger": report.as_ref().map(|r| r.info.clone()).unwrap_or(json!("not-checked")),
        });
        if let Some(d) = shown {
            out["credential"] = json!({
                "id": hex::encode(d.id),
                "kind": d.kind.name(),
                "issuer": d.issuer_did,
                "holder": d.holder_did,
                "issuedAt": d.issued_at,
            });
            match di_digest {
                Some(di) => out["credential"]["diDigest"] = json!(hex::encode(di)),
                None => out["credential"]["sdDigest"] = json!(hex::encode(d.sd_digest)),
            }
            out["disclosed"] = Value::Object(d.claims.clone());
        }
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for (c, r) in &results {
            let mut line = format!("{:<20} {}", c, tr(ctx.lang, r, &[]));
            if *r == "check-fail" {
                line.push_str(&format!("  ({detail})"));
            }
            println!("{line}");
        }
        for (c, r, d) in &ledger_results {
            let mut line = format!("{:<20} {}", c, tr(ctx.lang, r, &[]));
            if !d.is_empty() {
                line.push_str(&format!("  ({d})"));
            }
            println!("{line}");
        }
        if let Some(d) = shown {
            println!("{}", tr(ctx.lang, "disclosed", &[]));
            let claims: &Map<String, Value> = &d.claims;
            for (k, v) in claims {
                println!("  {k}: {}", v.as_str().unwrap_or_default());
            }
            println!("  (kind: {}, issuer: {})", d.kind.name(), d.issuer_did);
        }
        match evidence_age {
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
        match (verdict, failed_name) {
            (Verdict::Invalid, Some(f)) => {
                println!("{}", tr(ctx.lang, key("verdict-fail"), &[f]))
            }
            (Verdict::SignatureOnly, _) => println!(
                "{}",
                tr(
                    ctx.lang,
                    key("verdict-signature-only"),
                    &[&unchecked.join(", ")]
                )
            ),
            _ => println!("{}", tr(ctx.lang, key("verdict-pass"), &[])),
        }
    }
    Ok(verdict.exit_code())
}
