//! The main scenario: a real story with real `nansen-node` and `nansen`
//! processes on loopback, in a temporary directory.
//!
//!     cargo run --release --example scenario
//!
//! Exit code 0 only if every step behaved as expected.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::*;
use serde_json::{json, Value};

const REGISTRAR: &str = "camp-azraq-01";
const AUDIENCE: &str = "border-post-jaber";

struct Story {
    results: Vec<(String, bool, String)>,
}

impl Story {
    fn step(&mut self, name: &str, ok: bool, note: impl Into<String>) -> bool {
        let note = note.into();
        println!(
            "  => {}: {}{}\n",
            name,
            if ok { "PASS" } else { "FAIL" },
            if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            }
        );
        self.results.push((name.into(), ok, note));
        ok
    }
}

fn say(text: &str) {
    println!("  {text}");
}

fn indent(text: &str) {
    for line in text.lines() {
        println!("      | {line}");
    }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

struct World {
    bins: Bins,
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl World {
    fn node(&self, args: &[&str]) -> Out {
        run(&self.bins.node, args, &self.env, None)
    }
    fn wallet(&self, args: &[&str]) -> Out {
        run(&self.bins.wallet, args, &self.env, None)
    }
    fn wallet_stdin(&self, args: &[&str], stdin: &str) -> Out {
        run(&self.bins.wallet, args, &self.env, Some(stdin))
    }
    fn f(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

fn peers(api: &str) -> usize {
    get_json(api, "/v1/status")
        .ok()
        .and_then(|v| v["peers"].as_array().map(|a| a.len()))
        .unwrap_or(0)
}

fn credential_status(api: &str, id: &str) -> Option<Value> {
    get_json(api, &format!("/v1/credentials/{id}/status")).ok()
}

fn issue_and_attest(
    w: &World,
    camp_api: &str,
    kind: &str,
    claims: Value,
    holder: &str,
    tag: &str,
    supersede: Option<&str>,
) -> Result<(String, PathBuf), String> {
    let claims_file = w.f(&format!("{tag}-claims.json"));
    std::fs::write(
        &claims_file,
        serde_json::to_vec_pretty(&claims).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let bundle = w.f(&format!("{tag}.credential.json"));
    let (claims_path, key_path, bundle_path) =
        (p(&claims_file), p(&w.f("registrar.key")), p(&bundle));
    let mut args: Vec<&str> = match supersede {
        Some(old) => vec!["supersede", old],
        None => vec!["issue"],
    };
    args.extend([
        "--kind",
        kind,
        "--claims",
        claims_path.as_str(),
        "--holder",
        holder,
        "--registrar-key",
        key_path.as_str(),
        "--out",
        bundle_path.as_str(),
        "--node",
        camp_api,
        "--registrar",
        REGISTRAR,
        "--jurisdiction",
        "JO",
    ]);
    let o = w.wallet(&args);
    if !o.ok() {
        return Err(format!("nansen {} failed: {}", args[0], o.both()));
    }
    let id = o.field("id").ok_or("no id= line")?;
    say(&format!(
        "nansen {}: {kind} credential {id} written to {} (issuer {}); anchored through the camp node as {}: {}",
        args[0],
        bundle.display(),
        o.field("issuer").unwrap_or_default(),
        o.field("entry").unwrap_or_default(),
        o.field("outcome").unwrap_or_default(),
    ));
    if o.field("outcome").as_deref() != Some("accepted") {
        return Err(format!(
            "the camp node did not accept the entry: {}",
            o.both()
        ));
    }
    Ok((id, bundle))
}

fn main() {
    let started = Instant::now();
    println!(
        "Nansen scenario: a refugee's civil-status credentials, from registration to the border.\n"
    );
    let bins = match build_binaries() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot build the binaries: {e}");
            std::process::exit(2);
        }
    };
    let tmp = tempfile::Builder::new()
        .prefix("nansen-scenario-")
        .tempdir()
        .expect("temp dir");
    let dir = tmp.path().to_path_buf();
    let keep = std::env::var_os("NANSEN_KEEP").is_some();
    println!(
        "Working directory: {}{}\n",
        dir.display(),
        if keep {
            " (kept)"
        } else {
            " (deleted at the end; NANSEN_KEEP=1 keeps it)"
        }
    );
    let w = World {
        bins,
        dir: dir.clone(),
        env: vec![
            ("NANSEN_WALLET".into(), p(&dir.join("holder/wallet.nansen"))),
            (
                "NANSEN_VERIFIER_DIR".into(),
                p(&dir.join("border/verifier")),
            ),
            (
                "NANSEN_BACKUP_PASSPHRASE".into(),
                "a different backup passphrase (example only)".into(),
            ),
        ],
    };
    if let Err(e) = std::fs::create_dir_all(dir.join("holder")) {
        eprintln!("cannot create {}: {e}", dir.join("holder").display());
        std::process::exit(2);
    }
    let mut story = Story {
        results: Vec::new(),
    };
    let outcome = scenario(&w, &mut story);
    if let Err(e) = outcome {
        story.step("scenario aborted", false, e);
    }
    let elapsed = started.elapsed();
    println!("Summary");
    println!("{:-<96}", "");
    println!("{:<4} {:<62} result", "#", "step");
    println!("{:-<96}", "");
    for (i, (name, ok, _)) in story.results.iter().enumerate() {
        println!(
            "{:<4} {:<62} {}",
            i + 1,
            name,
            if *ok { "PASS" } else { "FAIL" }
        );
    }
    println!("{:-<96}", "");
    let all = !story.results.is_empty() && story.results.iter().all(|r| r.1);
    println!(
        "{} of {} checks passed in {:.1} s: {}",
        story.results.iter().filter(|r| r.1).count(),
        story.results.len(),
        elapsed.as_secs_f64(),
        if all {
            "the scenario behaved as expected"
        } else {
            "SOMETHING DID NOT BEHAVE AS EXPECTED"
        }
    );
    if keep {
        let _ = tmp.keep();
    }
    std::process::exit(if all { 0 } else { 1 });
}

fn scenario(w: &World, s: &mut Story) -> Result<(), String> {
    // ---------------------------------------------------------------- 1
    println!("Step 1. A network: three governance keys, threshold 2; three nodes.");
    let (gov, genesis, network_id) = create_network(&w.bins, &w.dir, "nansen-jordan-pilot")?;
    say(&format!(
        "genesis written: network id {network_id}, governance threshold 2 of 3"
    ));
    let mut authority = Node::start(&w.bins, "authority", &w.f("authority"), &genesis, None)?;
    let boot = authority.tcp_addr();
    say(&format!(
        "authority node up: API {}, listening on {boot}",
        authority.api
    ));
    let mut camp = Node::start(&w.bins, "camp", &w.f("camp"), &genesis, Some(&boot))?;
    say(&format!(
        "camp registration office node up: API {}",
        camp.api
    ));
    let mut border = Node::start(&w.bins, "border", &w.f("border"), &genesis, Some(&boot))?;
    say(&format!("border post node up: API {}", border.api));
    let connected = poll(30, || {
        let (a, c, b) = (peers(&authority.api), peers(&camp.api), peers(&border.api));
        (a >= 2 && c >= 1 && b >= 1).then_some((a, c, b))
    });
    let o = w.node(&["status", "--api", &authority.api]);
    indent(
        o.stdout
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
            .as_str(),
    );
    let (a, c, b) = (peers(&authority.api), peers(&camp.api), peers(&border.api));
    say(&format!(
        "peers seen by `status`: authority {a}, camp {c}, border {b}"
    ));
    s.step(
        "1 genesis (2 of 3) and three connected nodes",
        connected.is_some() && o.ok(),
        format!("peers {a}/{c}/{b}"),
    );

    // ---------------------------------------------------------------- 2
    println!("Step 2. Governance accredits the camp registrar (birth, refugee_status in JO).");
    let reg_pub = generate_key(&w.bins, "registrar", &w.f("registrar.key"))?;
    let next_pub = generate_key(&w.bins, "registrar", &w.f("registrar-next.key"))?;
    say(&format!(
        "registrar key {reg_pub} (next key committed: {next_pub})"
    ));
    say("`nansen issue` signs with the same encrypted key file the ledger accredits");
    let draft = p(&w.f("accredit.cbor"));
    let accreditation = Accreditation {
        registrar: REGISTRAR,
        display_name: "Azraq camp registration office",
        kinds: "birth,refugee_status",
        jurisdictions: "JO",
    };
    let o = w.node(&accreditation.draft_args(&authority.api, &draft, &reg_pub, &next_pub));
    say(&format!("draft: {}", o.both().trim()));
    let drafted = o.ok();
    let o = w.node(&["governance", "sign", &draft, "--key", &p(&gov[0])]);
    say(&format!("governance key 1 signs: {}", o.both().trim()));
    let one = w.node(&["governance", "submit", &draft, "--api", &authority.api]);
    say(&format!(
        "submitted with one signature: exit {}: {}",
        one.code,
        one.both().trim()
    ));
    let refused = !one.ok() || !one.stdout.contains("accepted");
    let o = w.node(&["governance", "sign", &draft, "--key", &p(&gov[1])]);
    say(&format!("governance key 2 signs: {}", o.both().trim()));
    let two = w.node(&["governance", "submit", &draft, "--api", &authority.api]);
    say(&format!(
        "submitted with two signatures: exit {}: {}",
        two.code,
        two.both().trim()
    ));
    let accepted = two.ok() && two.stdout.trim() == "accepted";
    let reached = poll(30, || {
        let has = |api: &str| {
            get_json(api, "/v1/chains")
                .ok()
                .and_then(|v| v.as_array().cloned())
                .map(|a| {
                    a.iter().any(|c| {
                        c["author"].as_str() == Some(REGISTRAR)
                            || c["kind"].as_str() == Some("governance")
                                && c["size"].as_u64().unwrap_or(0) >= 1
                    })
                })
                .unwrap_or(false)
        };
        (has(&camp.api) && has(&border.api)).then_some(())
    });
    say(&format!(
        "the accreditation reached the camp and border nodes: {}",
        if reached.is_some() { "yes" } else { "no" }
    ));
    s.step(
        "2a one governance signature is refused",
        drafted && refused,
        format!("exit {}", one.code),
    );
    s.step(
        "2b two of three signatures accredit the registrar",
        accepted && reached.is_some(),
        "",
    );

    // ---------------------------------------------------------------- 3
    println!("Step 3. The registrar registers a refugee and the birth of her child.");
    let o = w.wallet(&["init"]);
    if !o.ok() {
        return Err(format!("nansen init: {}", o.both()));
    }
    let phrase: Vec<String> = o
        .stdout
        .lines()
        .flat_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            t.chunks(2)
                .filter(|c| {
                    c.len() == 2
                        && c[0].ends_with('.')
                        && c[0].trim_end_matches('.').parse::<u32>().is_ok()
                })
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let did_out = w.wallet(&["did"]);
    let holder = did_out.stdout.trim().to_owned();
    say(&format!(
        "the holder's wallet was created: {holder}; the recovery phrase has {} words",
        phrase.len()
    ));
    let refugee_claims = json!({
        "givenName": "Amal", "familyName": "Haddad", "birthDate": "1996-05-14",
        "countryOfOrigin": "SYR", "hostCountry": "JOR", "statusGrantedDate": "2024-01-15",
        "nationality": "SYR", "caseNumber": "JOR-24-C01234",
        "registrationNumber": "AZ-RS-2024-000311", "registrationDate": "2024-01-15",
        "registrationPlace": "Azraq camp"
    });
    let birth_claims = json!({
        "givenName": "Nour", "familyName": "Haddad", "birthDate": "2024-02-29",
        "birthPlace": "Azraq camp clinic", "sex": "female", "motherName": "Amal Haddad",
        "registrationNumber": "AZ-B-2024-000123", "registrationDate": "2024-03-04"
    });
    let (refugee_id, refugee_bundle) = issue_and_attest(
        w,
        &camp.api,
        "refugee_status",
        refugee_claims,
        &holder,
        "refugee",
        None,
    )?;
    let (birth_id, birth_bundle) = issue_and_attest(
        w,
        &camp.api,
        "birth",
        birth_claims.clone(),
        &holder,
        "birth",
        None,
    )?;
    // The holder's phone is in the camp office: the wallet checks each credential against
    // the camp node (anchored, issuer accredited, status) before storing it.
    let r1 = w.wallet(&[
        "receive",
        "--file",
        &p(&refugee_bundle),
        "--node",
        &camp.api,
    ]);
    let r2 = w.wallet(&["receive", "--file", &p(&birth_bundle), "--node", &camp.api]);
    say(&format!(
        "wallet receive: {} / {}",
        r1.both().trim(),
        r2.both().trim()
    ));
    let list = w.wallet(&["list"]);
    indent(&list.stdout);
    let held = list.stdout.contains(&refugee_id)
        && list.stdout.contains(&birth_id)
        && list.stdout.matches("active").count() >= 2;
    s.step(
        "3 two credentials issued, anchored and received",
        phrase.len() == 24 && r1.ok() && r2.ok() && held,
        format!("{refugee_id}, {birth_id}"),
    );

    // ---------------------------------------------------------------- 4
    println!(
        "Step 4. The border post is cut off; the holder presents a QR code; offline verification."
    );
    let synced = poll(30, || {
        let st = credential_status(&border.api, &refugee_id)?;
        (st["status"] == "active").then_some(st)
    });
    say(&format!(
        "before the cut, the border replica had the refugee-status attestation: {}",
        if synced.is_some() { "yes" } else { "no" }
    ));
    // The verifier's trust configuration: the network's witness keys (each node's key, from
    // its /v1/info), kept on the border laptop with the genesis and a ledger export.
    let witnesses: Vec<String> = [&authority.api, &camp.api, &border.api]
        .iter()
        .filter_map(|api| get_json(api, "/v1/info").ok())
        .filter_map(|info| info["witness_key"].as_str().map(str::to_owned))
        .collect();
    say(&format!(
        "the border post trusts {} witness keys (one per node)",
        witnesses.len()
    ));
    // The export is taken once the border replica holds every chain as the camp node does:
    // a file older than the holder's proof would (rightly) fail as stale.
    let chains = |api: &str| -> Option<Vec<(Value, Value, Value)>> {
        let list = get_json(api, "/v1/chains").ok()?;
        let heads = list
            .as_array()?
            .iter()
            .map(|c| (c["author"].clone(), c["size"].clone(), c["head"].clone()));
        Some(heads.collect())
    };
    let caught_up = poll(30, || {
        let camp_chains = chains(&camp.api)?;
        (chains(&border.api)? == camp_chains).then_some(())
    });
    say(&format!(
        "the border replica holds the camp node's chains before the cut: {}",
        if caught_up.is_some() { "yes" } else { "no" }
    ));
    let ledger_file = w.f("border/ledger-export.cbor");
    let o = w.node(&["export", "--api", &border.api, "--out", &p(&ledger_file)]);
    say(&format!("border ledger export: {}", o.both().trim()));
    // The cut: the border node and the others ban each other (POST /v1/peers/{id}/ban), so
    // the border node keeps running but exchanges nothing with the network.
    let peer_id = |api: &str| {
        get_json(api, "/v1/info")
            .ok()
            .and_then(|i| i["peer_id"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let (authority_peer, camp_peer, border_peer) = (
        peer_id(&authority.api),
        peer_id(&camp.api),
        peer_id(&border.api),
    );
    let links = [
        (&border.api, &authority_peer),
        (&border.api, &camp_peer),
        (&authority.api, &border_peer),
        (&camp.api, &border_peer),
    ];
    let banned = links.iter().all(|(api, peer)| {
        matches!(
            http(api, "POST", &format!("/v1/peers/{peer}/ban")),
            Ok((200, _))
        )
    });
    let isolated = poll(30, || {
        let peers = get_json(&border.api, "/v1/peers").ok()?;
        peers["connected"]
            .as_array()
            .is_some_and(|c| c.is_empty())
            .then_some(())
    })
    .is_some();
    let stopped = banned && isolated;
    say(&format!(
        "the border node is cut off from the network (peers banned both ways: {banned}; \
         the border node has no connected peer: {isolated})"
    ));
    let ch = w.wallet(&["challenge", "--audience", AUDIENCE]);
    let nonce = ch.stdout.trim().to_owned();
    say(&format!("the border officer's challenge: {nonce}"));
    let qr = w.f("presentation.qr.txt");
    let pres = w.f("presentation.txt");
    let mut args: Vec<&str> = vec![
        "present",
        // The holder confirmed the claims on her phone; the story runs without a terminal.
        "--yes",
        refugee_id.as_str(),
        "--claims",
        "givenName,familyName,nationality,statusGrantedDate",
        "--challenge",
        nonce.as_str(),
        "--audience",
        AUDIENCE,
    ];
    let (ps, qs) = (p(&pres), p(&qr));
    args.extend(["--out", ps.as_str(), "--qr-text", qs.as_str()]);
    args.extend(["--node", camp.api.as_str()]);
    let o = w.wallet(&args);
    let qr_text = std::fs::read_to_string(&qr).unwrap_or_default();
    let codes = qr_text.lines().filter(|l| !l.trim().is_empty()).count();
    say(&format!(
        "presentation (disclosing givenName, familyName, nationality, statusGrantedDate): exit {}; QR text {} bytes in {} code(s); portable ledger proof embedded: {}",
        o.code, qr_text.len(), codes, "yes (asked of the camp node with --node)"
    ));
    let mut vargs = vec![
        "verify".to_owned(),
        "--qr-text".into(),
        qs.clone(),
        "--challenge".into(),
        nonce.clone(),
        "--audience".into(),
        AUDIENCE.into(),
        "--json".into(),
    ];
    vargs.extend([
        "--ledger".into(),
        p(&ledger_file),
        "--genesis".into(),
        p(&genesis),
    ]);
    for key in &witnesses {
        vargs.extend(["--witness".into(), key.clone()]);
    }
    let vrefs: Vec<&str> = vargs.iter().map(String::as_str).collect();
    let v = w.wallet(&vrefs);
    let vj: Value = serde_json::from_str(&v.stdout).unwrap_or(Value::Null);
    let disclosed: Vec<String> = vj["disclosed"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    say(&format!(
        "border post verifies offline ({}): exit {}, verdict {}, ledger: {}",
        "signatures, holder binding, the cosigned portable proof and the exported ledger file",
        v.code,
        vj["verdict"],
        vj["ledger"]
    ));
    say(&format!("disclosed claims: {}", vj["disclosed"]));
    let only_chosen = !disclosed.is_empty()
        && disclosed.iter().all(|k| {
            [
                "givenName",
                "familyName",
                "nationality",
                "statusGrantedDate",
            ]
            .contains(&k.as_str())
        })
        && vj["credential"]["kind"] == "refugee_status";
    let anchoring = vj["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == "ledger-anchoring"))
        .cloned()
        .unwrap_or(Value::Null);
    let cosigned = anchoring["result"] == "pass"
        && anchoring["detail"]
            .as_str()
            .is_some_and(|d| d.contains("cosigned by"));
    say(&format!("ledger anchoring: {}", anchoring["detail"]));
    s.step("4a border node cut off", stopped && synced.is_some(), "");
    s.step(
        "4b QR presentation of chosen claims verified offline",
        o.ok() && codes >= 1 && v.code == 0 && vj["verdict"] == "valid" && only_chosen && cosigned,
        format!(
            "{} bytes, {codes} code(s), ledger {}",
            qr_text.len(),
            vj["ledger"]
        ),
    );

    // ---------------------------------------------------------------- 5
    println!("Step 5. The connection returns; the registrar corrects the child's birth record.");
    let unbanned = links.iter().all(|(api, peer)| {
        matches!(
            http(api, "DELETE", &format!("/v1/peers/{peer}/ban")),
            Ok((200, _))
        )
    });
    let reconnected = poll(30, || {
        let peers = get_json(&border.api, "/v1/peers").ok()?;
        peers["connected"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
            .then_some(())
    })
    .is_some();
    say(&format!(
        "the connection returns: bans lifted: {unbanned}; the border node has peers again: {reconnected}"
    ));
    let mut corrected = birth_claims.clone();
    corrected["birthPlace"] = json!("Azraq camp clinic, village 3");
    corrected["fatherName"] = json!("Karim Haddad");
    let (new_birth_id, new_birth_bundle) = issue_and_attest(
        w,
        &camp.api,
        "birth",
        corrected,
        &holder,
        "birth-corrected",
        Some(&birth_id),
    )?;
    let seen = poll(60, || {
        let old = credential_status(&border.api, &birth_id)?;
        let new = credential_status(&border.api, &new_birth_id)?;
        (old["status"] == "superseded" && new["status"] == "active").then_some((old, new))
    });
    match &seen {
        Some((old, _)) => say(&format!(
            "the border node's API now says: {birth_id} superseded by {}; {new_birth_id} active",
            old["decision"]["by"].as_str().unwrap_or("?")
        )),
        None => say(&format!(
            "the border node did not show the supersession within 60 s: {:?}",
            credential_status(&border.api, &birth_id)
        )),
    }
    let rb = w.wallet(&[
        "receive",
        "--file",
        &p(&new_birth_bundle),
        "--node",
        &camp.api,
    ]);
    say(&format!(
        "the holder receives the corrected birth credential: {}",
        rb.both().trim()
    ));
    s.step(
        "5 supersession synced to the reconnected border post",
        unbanned && reconnected && seen.is_some() && rb.ok(),
        format!("peers {}", peers(&border.api)),
    );

    // ---------------------------------------------------------------- 6
    println!("Step 6. The holder loses her phone and recovers her wallet.");
    // Earlier, at the camp office, she saved an encrypted backup (e.g. on the
    // office's USB stick or a relative's phone).
    let backup = w.f("holder-backup.nansenb");
    let saved = w.wallet(&["backup", "export", "--out", &p(&backup)]);
    say(&format!(
        "encrypted backup saved earlier: exit {} {}",
        saved.code,
        saved.both().trim()
    ));
    let wallet_path = w.f("holder/wallet.nansen");
    std::fs::remove_file(&wallet_path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(w.f("holder/wallet.nansen.bak"));
    let gone = w.wallet(&["did"]);
    say(&format!(
        "wallet file deleted; `nansen did` now: exit {} {}",
        gone.code,
        gone.both().trim()
    ));
    let rec = w.wallet_stdin(&["recover"], &format!("{}\n", phrase.join(" ")));
    say(&format!(
        "nansen recover (phrase on stdin): {}",
        rec.both().trim()
    ));
    let did2 = w.wallet(&["did"]).stdout.trim().to_owned();
    say(&format!(
        "DID after recovery: {did2} (same as before: {})",
        did2 == holder
    ));
    let empty = w.wallet(&["list"]);
    let restored = w.wallet(&["backup", "import", &p(&backup)]);
    say(&format!(
        "nansen backup import: exit {} {}",
        restored.code,
        restored.both().trim()
    ));
    let list = w.wallet(&["list"]);
    indent(&list.stdout);
    s.step(
        "6 wallet recovered from the phrase and the backup",
        saved.ok()
            && !gone.ok()
            && rec.ok()
            && did2 == holder
            && !empty.stdout.contains(&refugee_id)
            && restored.ok()
            && list.stdout.contains(&refugee_id)
            && list.stdout.contains(&new_birth_id),
        "same DID; credentials from the encrypted backup",
    );

    // ---------------------------------------------------------------- 7
    println!("Step 7. A forged credential and a replayed presentation are rejected.");
    // 7a: tamper a claim in the issued bundle (both forms) and hand it to the wallet.
    let mut forged: Value =
        serde_json::from_slice(&std::fs::read(&refugee_bundle).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    forged["data_integrity"]["credentialSubject"]["givenName"] = json!("Eve");
    let forged_file = w.f("forged.credential.json");
    std::fs::write(
        &forged_file,
        serde_json::to_vec_pretty(&forged).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let fr = w.wallet(&["receive", "--file", &p(&forged_file)]);
    say(&format!(
        "the wallet is handed a credential with givenName changed to Eve: exit {}: {}",
        fr.code,
        fr.both().trim()
    ));
    // 7b: a forged presentation: a disclosure's value changed to another name.
    let ch2 = w
        .wallet(&["challenge", "--audience", AUDIENCE])
        .stdout
        .trim()
        .to_owned();
    let pres2 = w.f("presentation-2.txt");
    let o = w.wallet(&[
        "present",
        "--yes",
        &refugee_id,
        "--claims",
        "givenName,familyName",
        "--challenge",
        &ch2,
        "--audience",
        AUDIENCE,
        "--out",
        &p(&pres2),
    ]);
    let text = std::fs::read_to_string(&pres2).unwrap_or_default();
    let forged_pres = forge_disclosure(text.trim(), "givenName", "Eve");
    let forged_pres_file = w.f("presentation-forged.txt");
    std::fs::write(&forged_pres_file, forged_pres.as_deref().unwrap_or(""))
        .map_err(|e| e.to_string())?;
    let fv = w.wallet(&[
        "verify",
        &p(&forged_pres_file),
        "--challenge",
        &ch2,
        "--audience",
        AUDIENCE,
        "--json",
    ]);
    let fj: Value = serde_json::from_str(&fv.stdout).unwrap_or(Value::Null);
    let failed = |j: &Value| {
        j["checks"].as_array().and_then(|a| {
            a.iter().find(|c| c["result"] == "fail").map(|c| {
                format!(
                    "{}: {}",
                    c["name"].as_str().unwrap_or("?"),
                    c["detail"].as_str().unwrap_or("")
                )
            })
        })
    };
    say(&format!(
        "a presentation with givenName changed to Eve: exit {}, verdict {}, failed check {}",
        fv.code,
        fj["verdict"],
        failed(&fj).unwrap_or_default()
    ));
    s.step(
        "7a forged credential and forged presentation rejected",
        fr.code != 0
            && !fr.stdout.contains("received")
            && o.ok()
            && forged_pres.is_some()
            && fv.code == 1
            && fj["verdict"] == "invalid",
        failed(&fj).unwrap_or_default(),
    );
    // 7c: replay the border presentation of step 4.
    let rv = w.wallet(&[
        "verify",
        "--qr-text",
        &qs,
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--json",
    ]);
    let rj: Value = serde_json::from_str(&rv.stdout).unwrap_or(Value::Null);
    say(&format!("the step-4 QR presented again to the same border post: exit {}, verdict {}, failed check {}", rv.code, rj["verdict"], failed(&rj).unwrap_or_default()));
    let other = w.wallet(&[
        "verify",
        "--qr-text",
        &qs,
        "--challenge",
        &nonce,
        "--audience",
        "school-azraq",
        "--json",
        "--state-dir",
        &p(&w.f("school")),
    ]);
    let oj: Value = serde_json::from_str(&other.stdout).unwrap_or(Value::Null);
    say(&format!(
        "the same QR replayed to another verifier (a school): exit {}, failed check {}",
        other.code,
        failed(&oj).unwrap_or_default()
    ));
    let replay_named = failed(&rj).is_some_and(|f| f.starts_with("replay"));
    let audience_named = failed(&oj).is_some_and(|f| f.starts_with("audience"));
    s.step(
        "7b replayed presentation rejected (same and other verifier)",
        rv.code == 1 && replay_named && other.code == 1 && audience_named,
        format!(
            "{}; {}",
            failed(&rj).unwrap_or_default(),
            failed(&oj).unwrap_or_default()
        ),
    );

    // ---------------------------------------------------------------- 8
    println!("Step 8. No personal data left the wallet: every node's store, log, metrics and export are searched.");
    // The registration place "Azraq camp" is also in the office's public
    // display name on the ledger (an institution, not a person), so the
    // search uses the places that are the person's own.
    let claim_values = [
        "Amal",
        "Haddad",
        "Nour",
        "1996-05-14",
        "2024-02-29",
        "Azraq camp clinic",
        "JOR-24-C01234",
        "AZ-RS-2024-000311",
        "AZ-B-2024-000123",
        "Karim",
        "village 3",
    ];
    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, node) in [
        ("authority", &authority),
        ("camp", &camp),
        ("border", &border),
    ] {
        if let Ok((_, metrics)) = http_get(&node.api, "/metrics") {
            haystacks.push((format!("{name} metrics"), metrics.into_bytes()));
        }
    }
    let export = w.f("authority-export.cbor");
    let ex = run(
        &w.bins.node,
        &["export", "--api", &authority.api, "--out", &p(&export)],
        &[],
        None,
    );
    let _ = authority.stop();
    let _ = camp.stop();
    let _ = border.stop();
    if let Ok(bytes) = std::fs::read(&export) {
        haystacks.push(("authority export".into(), bytes));
    }
    for node_dir in ["authority", "camp", "border"] {
        for file in files_under(&w.f(node_dir)) {
            if let Ok(bytes) = std::fs::read(&file) {
                haystacks.push((p(&file), bytes));
            }
        }
    }
    let total: usize = haystacks.iter().map(|(_, b)| b.len()).sum();
    let mut leaks = Vec::new();
    for value in claim_values {
        for (where_, bytes) in &haystacks {
            if bytes.windows(value.len()).any(|w| w == value.as_bytes()) {
                leaks.push(format!("{value:?} in {where_}"));
            }
        }
    }
    say(&format!(
        "searched {} files and responses ({} bytes: sled stores, node logs, metrics, a full export) for {} claim values",
        haystacks.len(),
        total,
        claim_values.len()
    ));
    s.step(
        "8 no claim value in any node's store, log, metrics or export",
        ex.ok() && haystacks.len() > 6 && leaks.is_empty(),
        if leaks.is_empty() {
            "none found".to_string()
        } else {
            leaks.join("; ")
        },
    );
    Ok(())
}

/// Every file below `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Replaces the value of one disclosure (`[salt, name, value]`, base64url) in
/// an SD-JWT presentation `jwt~d1~d2~...~kb`, keeping everything else.
fn forge_disclosure(text: &str, name: &str, value: &str) -> Option<String> {
    let mut parts: Vec<String> = text.split('~').map(String::from).collect();
    let n = parts.len();
    for part in parts.iter_mut().take(n.saturating_sub(1)).skip(1) {
        let decoded = b64url_decode(part)?;
        let Ok(Value::Array(mut arr)) = serde_json::from_slice::<Value>(&decoded) else {
            continue;
        };
        if arr.len() == 3 && arr[1] == name {
            arr[2] = json!(value);
            *part = b64url_encode(&serde_json::to_vec(&Value::Array(arr)).ok()?);
            return Some(parts.join("~"));
        }
    }
    None
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64url_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..chunk.len() + 1 {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = B64.iter().position(|x| *x == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
