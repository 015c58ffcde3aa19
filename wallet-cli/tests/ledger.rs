//! The wallet against a real `nansen-node`: presentations carrying the portable ledger proof,
//! and the verifier's ledger checks online (`--node`) and offline (`--ledger --genesis`).
//!
//! The node binary is `NANSEN_NODE_BIN` if set, else built here with `cargo build -p node`
//! into the same target directory as this test.

use std::path::Path;

use nansen_test_support::net::{self as support, field, output_text, NodeProcess as Node};
use nansen_test_support::net::{BIRTH, NODE_PASS};

const AUDIENCE: &str = "border.example";

/// The shared test network (one node, the registrar `office-1` accredited for birth and
/// refugee status in JO, a holder's wallet; [`nansen_test_support::net`]), with this test's
/// birth credentials.
struct Net(support::Net);

impl std::ops::Deref for Net {
    type Target = support::Net;
    fn deref(&self) -> &support::Net {
        &self.0
    }
}

impl std::ops::DerefMut for Net {
    fn deref_mut(&mut self) -> &mut support::Net {
        &mut self.0
    }
}

fn check_line<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} line in {out}"))
}

/// `nansen issue` of the birth claims in `claims` to `holder`, signed with the registrar key
/// file `key`, written to `out`.
fn issue_args<'a>(claims: &'a str, holder: &'a str, key: &'a str, out: &'a str) -> Vec<&'a str> {
    [&["issue"], &birth_args(claims, holder, key, out)[..]].concat()
}

/// As [`issue_args`], a correction that supersedes the credential `id`.
fn supersede_args<'a>(
    id: &'a str,
    claims: &'a str,
    holder: &'a str,
    key: &'a str,
    out: &'a str,
) -> Vec<&'a str> {
    [
        &["supersede", id],
        &birth_args(claims, holder, key, out)[..],
    ]
    .concat()
}

fn birth_args<'a>(claims: &'a str, holder: &'a str, key: &'a str, out: &'a str) -> [&'a str; 10] {
    [
        "--kind",
        "birth",
        "--claims",
        claims,
        "--holder",
        holder,
        "--registrar-key",
        key,
        "--out",
        out,
    ]
}

/// `nansen revoke --yes` of the credential `id` for `reason`, signed with the registrar key file
/// `key`.
fn revoke_args<'a>(id: &'a str, reason: &'a str, key: &'a str) -> Vec<&'a str> {
    vec![
        "revoke",
        id,
        "--reason",
        reason,
        "--registrar-key",
        key,
        "--yes",
    ]
}

/// `args` anchored on the node at `api` as `registrar`, in `jurisdiction` if given.
fn anchored<'a>(
    mut args: Vec<&'a str>,
    api: &'a str,
    registrar: &'a str,
    jurisdiction: Option<&'a str>,
) -> Vec<&'a str> {
    args.extend_from_slice(&["--node", api, "--registrar", registrar]);
    if let Some(jurisdiction) = jurisdiction {
        args.extend_from_slice(&["--jurisdiction", jurisdiction]);
    }
    args
}

impl Net {
    fn start() -> Net {
        Net(support::Net::start(
            Path::new(env!("CARGO_BIN_EXE_nansen")),
            "wallet-ledger-test",
        ))
    }

    /// Runs `nansen args`, which must be refused (exit 2) naming `name`; returns its output.
    fn refused(&self, args: &[&str], name: &str) -> String {
        let out = self.nansen(args);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(text.contains(name), "expected {name}: {text}");
        text
    }

    /// Issues a birth credential (`birth.json`) to `holder` with `key` (a key file) into
    /// `out`; returns the `issue` output.
    fn issue(&self, holder: &str, key: &str, out: &str) -> String {
        self.ok(&issue_args("birth.json", holder, key, out))
    }

    /// Issues a birth credential to the holder with `key` (a key file), receives it; returns
    /// the `issue` output.
    fn issue_and_receive(&self, key: &str, out: &str) -> String {
        self.0.issue_and_receive("birth", "birth.json", key, out)
    }

    /// `nansen-node registrar attest` for what `nansen issue` printed.
    fn attest(&self, issued: &str) -> String {
        self.0.attest(issued, "birth", "JO-MA")
    }

    fn challenge(&self) -> String {
        self.ok(&["challenge", "--audience", AUDIENCE])
            .trim()
            .to_owned()
    }

    /// Presents `id` (givenName only) for a fresh challenge; returns the challenge.
    fn present(&self, id: &str, out: &str, extra: &[&str]) -> String {
        let nonce = self.challenge();
        let mut args = vec![
            "present",
            "--yes",
            id,
            "--claims",
            "givenName",
            "--challenge",
            &nonce,
            "--audience",
            AUDIENCE,
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        self.ok(&args);
        nonce
    }

    /// `nansen verify`: its exit code (0 valid, 1 invalid, 3 signature only) and output.
    fn verify(&self, file: &str, nonce: &str, extra: &[&str]) -> (i32, String) {
        let mut args = vec!["verify", file, "--challenge", nonce, "--audience", AUDIENCE];
        args.extend_from_slice(extra);
        let out = self.nansen(&args);
        (out.status.code().unwrap_or(-1), output_text(&out))
    }
}

fn assert_ledger_pass(out: &str) {
    for check in [
        "ledger-anchoring",
        "issuer-accredited",
        "credential-status",
        "revocation-freshness",
    ] {
        assert!(check_line(out, check).contains("PASS"), "{check}: {out}");
    }
}

#[test]
fn proof_carrying_presentation_verifies_online_offline_and_fails_after_revocation() {
    let mut net = Net::start();
    let issued = net.issue_and_receive("r.key", "cred.json");
    let id = field(&issued, "id");
    assert!(net.attest(&issued).contains("office-1 #0: accepted"));
    net.node.as_ref().unwrap().wait_cosigned("office-1", 1);
    let api = net.api();

    // Present with the proof: an NS1 envelope carrying it, also through QR text.
    let nonce = net.present(&id, "p.json", &["--node", &api, "--qr-text", "p.qr"]);
    let text = std::fs::read_to_string(net.path("p.json")).unwrap();
    let envelope: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(envelope["format"], "nansen-presentation/1");
    assert!(envelope["ledger_proof"]["checkpoint"]
        .as_str()
        .unwrap()
        .contains("office-1"));
    assert!(!text.contains("Haddad"), "an undisclosed claim leaked");
    let (code, out) = net.verify("p.json", &nonce, &["--node", &api]);
    println!("online verify:\n{out}");
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);
    assert!(check_line(&out, "credential-status").contains("source: node"));
    assert!(
        check_line(&out, "revocation-freshness").contains("checkpoint cosigned"),
        "{out}"
    );

    // The same presentation read from its QR text, as JSON (another verifier's state).
    let (code, out) = net.verify(
        "--qr-text=p.qr",
        &nonce,
        &["--node", &api, "--json", "--state-dir", "verifier-2"],
    );
    let json: serde_json::Value = serde_json::from_str(
        out.split_once("\n\n")
            .map_or(out.as_str(), |(a, _)| a)
            .trim(),
    )
    .unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(code, 0, "{out}");
    assert_eq!(json["verdict"], "valid");
    assert_eq!(json["ledger"]["anchor"]["registrar"], "office-1");
    assert_eq!(json["ledger"]["status"]["status"], "active");
    assert!(json["ledger"]["checkpoint_time"].is_string());
    let names: Vec<_> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["result"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        names.contains(&("issuer-accredited".into(), "pass".into())),
        "{names:?}"
    );

    // Without any ledger source the proof is not checked: anchoring SKIP, and the verdict is
    // "signature only", never valid.
    let nonce = net.present(&id, "p2.json", &["--node", &api]);
    let (code, out) = net.verify("p2.json", &nonce, &[]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("VERDICT: SIGNATURE ONLY"), "{out}");
    assert!(
        check_line(&out, "ledger-anchoring").contains("SKIP"),
        "{out}"
    );

    // Export, stop the node, verify offline with the ledger file and the witness key.
    let witness = net.witness_key();
    net.node_cmd(&["export", "--api", &api, "--out", "ledger.cbor"]);
    let nonce = net.present(&id, "p3.json", &["--node", &api]);
    let nonce4 = net.present(&id, "p4.json", &["--node", &api]);
    // The Data Integrity form carries the same proof (envelope member `vp`).
    let nonce_di = net.challenge();
    net.ok(&[
        "present",
        "--yes",
        &id,
        "--form",
        "di",
        "--challenge",
        &nonce_di,
        "--audience",
        AUDIENCE,
        "--node",
        &api,
        "--out",
        "p-di.json",
    ]);
    let di_text = std::fs::read_to_string(net.path("p-di.json")).unwrap();
    let di_envelope: serde_json::Value = serde_json::from_str(&di_text).unwrap();
    assert_eq!(di_envelope["vp"]["type"][0], "VerifiablePresentation");
    assert!(di_envelope["ledger_proof"]["checkpoint"].is_string());
    net.node = None;
    let offline = ["--ledger", "ledger.cbor", "--genesis", "genesis.cbor"];
    let mut with_witness = offline.to_vec();
    with_witness.extend_from_slice(&["--witness", &witness]);
    let (code, out) = net.verify("p3.json", &nonce, &with_witness);
    println!("offline verify:\n{out}");
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);
    assert!(check_line(&out, "credential-status").contains("source: ledger file"));
    assert!(
        check_line(&out, "revocation-freshness").contains("newest entry"),
        "{out}"
    );
    let (code, out) = net.verify("p-di.json", &nonce_di, &with_witness);
    println!("offline verify of the DI presentation:\n{out}");
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);
    assert!(
        check_line(&out, "ledger-anchoring").contains("portable proof"),
        "{out}"
    );
    // Offline without a witness key: the entry must be in the replica.
    let (code, out) = net.verify("p4.json", &nonce4, &offline);
    assert_eq!(code, 0, "{out}");
    assert!(
        check_line(&out, "ledger-anchoring").contains("the entry is in ledger file"),
        "{out}"
    );

    // Restart, revoke: the node-backed verifier rejects.
    net.node = Some(Node::start(&net.path("node"), &net.path("genesis.cbor")));
    let api = net.api();
    let revoked = net.registrar(&["revoke", "--credential-id", &id, "--reason", "fraud"]);
    assert!(revoked.contains("accepted"), "{revoked}");
    let nonce = net.present(&id, "p5.json", &["--node", &api]);
    let (code, out) = net.verify("p5.json", &nonce, &["--node", &api]);
    println!("after revocation:\n{out}");
    assert_eq!(code, 1, "{out}");
    assert!(
        check_line(&out, "ledger-anchoring").contains("PASS"),
        "{out}"
    );
    let line = check_line(&out, "credential-status");
    assert!(
        line.contains("FAIL") && line.contains("CredentialRevoked"),
        "{out}"
    );
    assert!(out.contains("failed check: credential-status"), "{out}");
}

#[test]
fn credential_from_a_key_governance_never_accredited_fails_issuer_accredited() {
    let net = Net::start();
    let api = net.api();
    write_rogue_key(&net.path("rogue.key"));

    // Not anchored at all.
    let issued = net.issue_and_receive("rogue.key", "rogue.json");
    let id = field(&issued, "id");
    let nonce = net.present(&id, "p.json", &[]);
    let (code, out) = net.verify("p.json", &nonce, &["--node", &api]);
    assert_eq!(code, 1, "{out}");
    let line = check_line(&out, "issuer-accredited");
    assert!(
        line.contains("FAIL") && line.contains("IssuerNotAccredited"),
        "{out}"
    );
    assert!(
        check_line(&out, "ledger-anchoring").contains("NotAnchored"),
        "{out}"
    );

    // An accredited registrar anchors a credential that another key signed.
    let issued = net.issue_and_receive("rogue.key", "rogue2.json");
    let id = field(&issued, "id");
    assert!(net.attest(&issued).contains("accepted"));
    let nonce = net.present(&id, "p2.json", &["--node", &api]);
    let (code, out) = net.verify("p2.json", &nonce, &["--node", &api]);
    assert_eq!(code, 1, "{out}");
    assert!(
        check_line(&out, "ledger-anchoring").contains("PASS"),
        "{out}"
    );
    let line = check_line(&out, "issuer-accredited");
    assert!(
        line.contains("FAIL") && line.contains("IssuerKeyNotInForce"),
        "{out}"
    );
}

/// The registrar anchors, corrects and revokes with `nansen` alone: `issue --node`,
/// `supersede`, `revoke`; a verifier asking the node sees each change.
#[test]
fn registrar_anchors_supersedes_and_revokes_with_nansen() {
    let net = Net::start();
    let api = net.api();
    let holder = net.holder();
    let anchor = |args| anchored(args, &api, "office-1", Some("JO-MA"));
    let issued = net.ok(&anchor(issue_args(
        "birth.json",
        &holder,
        "r.key",
        "c1.json",
    )));
    assert_eq!(field(&issued, "anchored"), "yes", "{issued}");
    assert_eq!(field(&issued, "entry"), "office-1#0", "{issued}");
    assert_eq!(field(&issued, "outcome"), "accepted", "{issued}");
    let first = field(&issued, "id");
    net.ok(&["receive", "--file", "c1.json"]);
    net.node.as_ref().unwrap().wait_cosigned("office-1", 1);
    let nonce = net.present(&first, "p1.json", &["--node", &api]);
    let (code, out) = net.verify("p1.json", &nonce, &["--node", &api]);
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);

    // Correct the birth date: a new credential that supersedes the first.
    std::fs::write(
        net.path("birth-corrected.json"),
        BIRTH.replace("2024-02-29", "2024-02-28"),
    )
    .unwrap();
    let corrected = net.ok(&anchor(supersede_args(
        &first,
        "birth-corrected.json",
        &holder,
        "r.key",
        "c2.json",
    )));
    assert_eq!(field(&corrected, "entry"), "office-1#1", "{corrected}");
    let second = field(&corrected, "id");
    assert_ne!(first, second);
    let nonce = net.present(&first, "p2.json", &["--node", &api]);
    let (code, out) = net.verify("p2.json", &nonce, &["--node", &api]);
    assert_eq!(code, 1, "{out}");
    assert!(
        check_line(&out, "credential-status").contains("CredentialSuperseded"),
        "{out}"
    );
    net.ok(&["receive", "--file", "c2.json"]);
    net.node.as_ref().unwrap().wait_cosigned("office-1", 2);
    let nonce = net.present(&second, "p3.json", &["--node", &api]);
    let (code, out) = net.verify("p3.json", &nonce, &["--node", &api]);
    assert_eq!(code, 0, "{out}");
    let bundle = std::fs::read_to_string(net.path("c2.json")).unwrap();
    assert!(bundle.contains("2024-02-28"), "{bundle}");

    // Revoke the correction. Without --yes and without a terminal to ask on, nothing is
    // revoked: the confirmed revocation that follows is the chain's next entry.
    let to_chain = |args| anchored(args, &api, "office-1", None);
    let mut unconfirmed = revoke_args(&second, "fraud", "r.key");
    unconfirmed.retain(|a| *a != "--yes");
    net.refused(&to_chain(unconfirmed), "NotConfirmed");
    let revoked = net.ok(&to_chain(revoke_args(&second, "fraud", "r.key")));
    assert_eq!(field(&revoked, "outcome"), "accepted", "{revoked}");
    assert_eq!(field(&revoked, "entry"), "office-1#2", "{revoked}");
    let nonce = net.present(&second, "p4.json", &["--node", &api]);
    let (code, out) = net.verify("p4.json", &nonce, &["--node", &api]);
    assert_eq!(code, 1, "{out}");
    assert!(
        check_line(&out, "credential-status").contains("CredentialRevoked"),
        "{out}"
    );

    // Refusals, each named, and the chain unchanged.
    write_rogue_key(&net.path("rogue.key"));
    net.refused(
        &to_chain(revoke_args(&first, "fraud", "rogue.key")),
        "NotCurrentKey",
    );
    net.refused(
        &anchored(
            revoke_args(&first, "fraud", "r.key"),
            &api,
            "office-9",
            None,
        ),
        "UnknownRegistrar",
    );
    net.refused(
        &anchored(
            revoke_args(&first, "boredom", "r.key"),
            &api,
            "office-1",
            None,
        ),
        "unknown revocation reason",
    );
    net.refused(
        &anchored(
            issue_args("birth.json", &holder, "r.key", "c3.json"),
            &api,
            "office-1",
            Some("FR"),
        ),
        "EntryRefused",
    );
    // A refused attestation leaves no credential to hand over.
    assert!(!net.path("c3.json").exists() && !net.path("c3.json.pending").exists());
    let chains: serde_json::Value = net
        .node
        .as_ref()
        .unwrap()
        .client()
        .get_json("/v1/chains")
        .unwrap();
    let office = chains
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["author"] == "office-1")
        .unwrap()
        .clone();
    assert_eq!(office["size"], 3, "{office}");
}

/// `receive --node` checks anchoring (both digests), accreditation and status before storing:
/// not anchored, other digests or another key are refused by name and nothing changes; a
/// revoked credential is stored flagged (exit 1); without a node the status is not-checked.
#[test]
fn receive_with_a_node_checks_anchoring_and_stores_the_status() {
    let net = Net::start();
    let api = net.api();
    let holder = net.holder();
    let refused = |file: &str, name: &str| {
        let text = net.refused(&["receive", file, "--node", &api], name);
        assert!(text.contains("not stored"), "{text}");
    };
    let issued = net.issue(&holder, "r.key", "c.json");
    let id = field(&issued, "id");

    // Without a node: stored, status not checked.
    let out = net.ok(&["receive", "c.json"]);
    assert!(out.contains("not checked"), "{out}");
    assert!(net.ok(&["list"]).contains("not checked on the ledger"));

    // Not anchored yet: refused, the stored copy unchanged.
    refused("c.json", "NotAnchored");
    assert!(net.ok(&["list"]).contains("not checked on the ledger"));
    // `status` cannot check it either: named, exit 2, the stored status unchanged.
    let text = net.refused(&["status", "--node", &api], "NotAnchored");
    assert!(text.contains(&id), "{text}");
    assert!(net.ok(&["list"]).contains("not checked on the ledger"));

    // Anchored: active, shown by list and show.
    assert!(net.attest(&issued).contains("accepted"));
    let out = net.ok(&["receive", "c.json", "--node", &api]);
    assert!(out.contains("status: active"), "{out}");
    let shown: serde_json::Value = serde_json::from_str(&net.ok(&["show", &id, "--json"])).unwrap();
    assert_eq!(shown["status"], "active");

    // Revoked: stored with the status flagged, exit 1, named.
    let revoked = net.ok(&anchored(
        revoke_args(&id, "fraud", "r.key"),
        &api,
        "office-1",
        None,
    ));
    assert!(revoked.contains("accepted"), "{revoked}");
    // The holder re-checks with `status`: the wallet said active until now; it is stored as
    // revoked, named, exit 1, and `list` and `show` say so with the time of the check.
    assert!(net.ok(&["list"]).contains("Status: active (checked"));
    let out = net.nansen(&["status", "--node", &api]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&id) && text.contains("REVOKED") && text.contains("CredentialRevoked"),
        "{text}"
    );
    let list = net.ok(&["list"]);
    assert!(list.contains("Status: revoked (checked"), "{list}");
    assert!(net.ok(&["show", &id]).contains("Status: revoked (checked"));
    let out = net.nansen(&["--lang", "fr", "status", &id[..8], "--node", &api]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("RÉVOQUÉE"),
        "{}",
        output_text(&out)
    );
    assert!(output_text(&out).contains("Les vérificateurs la refuseront"));
    let shown = net.ok(&["--lang", "fr", "show", &id]);
    assert!(shown.contains("Statut : révoquée (vérifié le"), "{shown}");
    let out = net.nansen(&["receive", "--file", "c.json", "--node", &api]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("CredentialRevoked"), "{text}");
    let list = net.ok(&["list"]);
    assert!(list.contains(&id) && list.contains("revoked"), "{list}");

    // Attested with digests that are not this bundle's: refused. (Signed with a key office-1
    // does not hold, which the issuer-accredited check would refuse next.)
    write_rogue_key(&net.path("rogue.key"));
    let issued = net.issue(&holder, "rogue.key", "c2.json");
    let wrong = issued.replace(&field(&issued, "di_digest"), &"00".repeat(32));
    assert!(net.attest(&wrong).contains("accepted"));
    refused("c2.json", "DigestMismatch");
    let list = net.ok(&["list"]);
    assert_eq!(list.lines().count(), 1, "{list}");
}

/// Offline, a ledger file exported before a revocation must not make the credential look
/// active when the presentation carries a newer checkpoint; and status evidence older than
/// the verifier's policy is refused as stale, its age shown.
#[test]
fn offline_status_never_comes_from_older_or_stale_evidence() {
    let mut net = Net::start();
    let issued = net.issue_and_receive("r.key", "cred.json");
    let id = field(&issued, "id");
    assert!(net.attest(&issued).contains("office-1 #0: accepted"));
    net.node.as_ref().unwrap().wait_cosigned("office-1", 1);
    let api = net.api();
    let witness = net.witness_key();
    // The credential alone, checked against the node: valid, worded for a credential.
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(net.path("cred.json")).unwrap()).unwrap();
    std::fs::write(net.path("vc.json"), bundle["data_integrity"].to_string()).unwrap();
    let out = net.nansen(&["verify", "vc.json", "--node", &api]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_ledger_pass(&text);
    assert!(text.contains("VERDICT: VALID credential"), "{text}");
    // The border laptop's ledger file: office-1's chain holds the attestation only.
    net.node_cmd(&["export", "--api", &api, "--out", "old-ledger.cbor"]);
    // Then the credential is revoked, and the holder's proof is fetched after that.
    let revoked = net.registrar(&["revoke", "--credential-id", &id, "--reason", "fraud"]);
    assert!(revoked.contains("accepted"), "{revoked}");
    net.node.as_ref().unwrap().wait_cosigned("office-1", 2);
    let nonce = net.present(&id, "p.json", &["--node", &api]);
    net.node = None;

    let offline = [
        "--ledger",
        "old-ledger.cbor",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
    ];
    let (code, out) = net.verify("p.json", &nonce, &offline);
    println!("old ledger file, newer checkpoint:\n{out}");
    assert_eq!(code, 1, "{out}");
    let line = check_line(&out, "credential-status");
    assert!(
        line.contains("FAIL") && line.contains("StaleLedgerFile"),
        "{out}"
    );
    assert!(!out.contains("active"), "{out}");
    assert!(out.contains("failed check: credential-status"), "{out}");

    // The same file under a policy it cannot meet (its newest entry is over a second old):
    // stale, with the evidence's age shown. A presentation without a proof, so the file is
    // the only evidence.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let nonce = net.present(&id, "bare.txt", &[]);
    let mut strict = offline[..4].to_vec();
    strict.extend_from_slice(&["--max-evidence-age", "1"]);
    let (code, out) = net.verify("bare.txt", &nonce, &strict);
    println!("stale evidence:\n{out}");
    assert_eq!(code, 1, "{out}");
    let line = check_line(&out, "revocation-freshness");
    assert!(
        line.contains("FAIL") && line.contains("StaleEvidence") && line.contains("evidence age"),
        "{out}"
    );
    assert!(out.contains("Status evidence age:"), "{out}");
}

/// A registrar key nobody accredited (seed 0x77 repeated), as an encrypted key file under the
/// passphrase `nansen` reads for registrar keys in these tests.
fn write_rogue_key(path: &std::path::Path) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x77; 32], NODE_PASS).expect("rogue key");
}

const REFUGEE: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"1990-05-17",
"countryOfOrigin":"SY","hostCountry":"JO","statusGrantedDate":"2024-03-04","nationality":"SY",
"caseNumber":"JO-AZR-2024-004517","registrationNumber":"JO-AZ-R-2024-000123",
"registrationDate":"2024-03-04","registrationPlace":"Azraq camp registration office"}"#;

/// Issues a refugee-status credential (`REFUGEE`) to the holder, receives it and anchors it;
/// returns its id once a checkpoint of it is cosigned.
fn issue_refugee_status(net: &Net) -> String {
    net.anchor_refugee_status(REFUGEE)
}

/// `nansen present --profile border --node` of `id` for a fresh challenge, with `extra`
/// arguments; returns the challenge.
fn present_border(net: &Net, id: &str, extra: &[&str]) -> String {
    let nonce = net.challenge();
    let api = net.api();
    let mut args = vec![
        "present",
        "--yes",
        id,
        "--profile",
        "border",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--node",
        &api,
    ];
    args.extend_from_slice(extra);
    net.ok(&args);
    nonce
}

#[test]
fn the_border_profile_with_its_proof_is_one_ns2_code_and_ns1_still_verifies() {
    let net = Net::start();
    let id = issue_refugee_status(&net);
    let api = net.api();
    let nonce = present_border(
        &net,
        &id,
        &[
            "--out",
            "border.txt",
            "--qr-png",
            "border.png",
            "--qr-text",
            "border.qr",
        ],
    );
    let text = std::fs::read_to_string(net.path("border.txt")).unwrap();
    let qr_text = std::fs::read_to_string(net.path("border.qr")).unwrap();
    let parts: Vec<&str> = qr_text.lines().collect();
    let ns1 = nansen_wire::qr_text::encode_parts(&text);
    println!(
        "border profile: presentation {} B; NS1 {} characters in {} codes; NS2 {} characters \
         in {} code(s), version and level {:?}",
        text.len(),
        ns1.iter().map(String::len).sum::<usize>(),
        ns1.len(),
        qr_text.trim_end().len(),
        parts.len(),
        nansen_wallet::qr::version_and_level(parts[0]),
    );
    assert_eq!(parts.len(), 1, "{qr_text}");
    assert!(parts[0].starts_with("NS2:1/1:"));
    assert!(net.path("border.png").exists() && !net.path("border-1.png").exists());
    // The one PNG, read back from the image: VALID, the ledger checks passed on the proof.
    let (code, out) = net.verify("--qr-image=border.png", &nonce, &["--node", &api]);
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);
    assert!(out.contains("countryOfOrigin: SY"), "{out}");

    // The same text in the old framing (as a wallet of the previous release wrote it): still
    // VALID, read from its PNGs.
    let nonce = present_border(&net, &id, &["--out", "border-2.txt"]);
    let text = std::fs::read_to_string(net.path("border-2.txt")).unwrap();
    let ns1 = nansen_wire::qr_text::encode_parts(&text);
    assert!(ns1.len() > 1);
    let mut images = Vec::new();
    for (i, part) in ns1.iter().enumerate() {
        let name = format!("old-{i}.png");
        std::fs::write(net.path(&name), nansen_wallet::qr::png(part, 4).unwrap()).unwrap();
        images.push(format!("--qr-image={name}"));
    }
    let mut args: Vec<&str> = images.iter().skip(1).map(String::as_str).collect();
    args.extend(["--node", &api]);
    let (code, out) = net.verify(&images[0], &nonce, &args);
    assert_eq!(code, 0, "{out}");
    assert_ledger_pass(&out);
}

#[test]
fn tampered_ns2_envelopes_are_refused_by_name() {
    let net = Net::start();
    let id = issue_refugee_status(&net);
    let nonce = present_border(&net, &id, &["--out", "p.txt", "--qr-text", "p.qr"]);
    let qr_text = std::fs::read_to_string(net.path("p.qr")).unwrap();
    let body = qr_text
        .trim_end()
        .strip_prefix("NS2:1/1:")
        .expect("one NS2 part");
    let bytes = base45::decode(body).expect("base45");
    let text = std::fs::read_to_string(net.path("p.txt")).unwrap();
    let _ = std::fs::write("/tmp/oneqr-border.txt", &text);
    let cbor = nansen_wire::compact::canonical_cbor(&text).expect("compactable");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(
            net.path(name),
            format!("NS2:1/1:{}\n", base45::encode(bytes)),
        )
        .unwrap();
        format!("--qr-text={name}")
    };
    // Refused before any check, by name: exit 2, BadQrText and the envelope's own name.
    let refused = |arg: &str, name: &str| {
        let out = net.refused(
            &["verify", arg, "--challenge", &nonce, "--audience", AUDIENCE],
            "BadQrText",
        );
        assert!(out.contains(name), "expected {name}: {out}");
        assert!(!out.contains("panicked"), "{out}");
    };
    refused(
        &write("truncated.qr", &bytes[..bytes.len() / 2]),
        "not_deflate",
    );
    let mut plain = vec![nansen_wire::compact::PLAIN];
    plain.extend_from_slice(&cbor[..cbor.len() - 40]);
    refused(&write("truncated-cbor.qr", &plain), "not_cbor");
    refused(&write("empty.qr", &[]), "empty");
    refused(&write("encoding.qr", &[9, 1, 2, 3]), "unknown_encoding");
    // Hostile lengths: a byte string and an array declaring far more than there is.
    refused(
        &write(
            "long-bstr.qr",
            &[
                0, 0x84, 0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        ),
        "not_cbor",
    );
    refused(
        &write("long-array.qr", &[0, 0x9a, 0xff, 0xff, 0xff, 0xff, 0x40]),
        "not_cbor",
    );
    // Not canonical: the first byte string's length written on two bytes instead of one (the
    // issuer JWT header, 0x58 NN, as 0x59 00 NN): the same values, another spelling.
    let at = cbor
        .iter()
        .position(|&b| b == 0x58)
        .expect("a one-byte length");
    assert!(at <= 3, "the first byte string comes first: {at}");
    let mut long = vec![nansen_wire::compact::PLAIN];
    long.extend_from_slice(&cbor[..at]);
    long.extend_from_slice(&[0x59, 0, cbor[at + 1]]);
    long.extend_from_slice(&cbor[at + 2..]);
    refused(&write("non-canonical.qr", &long), "non_canonical");
    // A wrong version prefix.
    std::fs::write(net.path("ns3.qr"), qr_text.replacen("NS2:", "NS3:", 1)).unwrap();
    refused("--qr-text=ns3.qr", "unknown framing version NS3");

    // A flipped byte in the issuer's signature: the envelope decodes, and the verifier finds
    // the signature bad (INVALID, issuer-signature).
    let mut raw = cbor.clone();
    // The 64 signature bytes follow the header 0x58 0x40.
    let sig_at = raw
        .windows(2)
        .position(|w| w == [0x58, 0x40])
        .expect("a 64-byte signature")
        + 2;
    raw[sig_at + 5] ^= 0x01;
    let mut flipped = vec![nansen_wire::compact::PLAIN];
    flipped.extend_from_slice(&raw);
    let arg = write("flipped.qr", &flipped);
    let (code, out) = net.verify(&arg, &nonce, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("failed check: issuer-signature"), "{out}");
}

/// The claims of `REFUGEE` with the test portrait (a 1,374-byte JPEG) as a data URI.
fn refugee_with_portrait() -> (String, Vec<u8>) {
    use base64::Engine as _;
    let jpeg =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portrait.jpg"))
            .unwrap();
    let mut claims: serde_json::Value = serde_json::from_str(REFUGEE).unwrap();
    claims["portrait"] = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&jpeg)
    )
    .into();
    (claims.to_string(), jpeg)
}

#[test]
fn a_portrait_is_held_off_the_ledger_disclosed_only_on_request_and_written_by_verify() {
    let net = Net::start();
    let (claims, jpeg) = refugee_with_portrait();
    // A portrait that is not a small JPEG or WebP data URI is refused at issuance, by name.
    let mut too_big: serde_json::Value = serde_json::from_str(&claims).unwrap();
    too_big["portrait"] = format!("data:image/jpeg;base64,/9j/{}", "A".repeat(11_000)).into();
    std::fs::write(net.path("too-big.json"), too_big.to_string()).unwrap();
    let holder = net.holder();
    let issue = |claims: &str, out: &str| {
        net.nansen(&[
            "issue",
            "--kind",
            "refugee_status",
            "--claims",
            claims,
            "--holder",
            &holder,
            "--registrar-key",
            "r.key",
            "--out",
            out,
        ])
    };
    let refused = issue("too-big.json", "too-big.credential.json");
    assert_eq!(refused.status.code(), Some(2), "{}", output_text(&refused));
    assert!(
        output_text(&refused).contains("portrait"),
        "{}",
        output_text(&refused)
    );
    let id = net.anchor_refugee_status(&claims);
    let api = net.api();

    // The border profile leaves it out, and is still one code.
    let nonce = present_border(
        &net,
        &id,
        &["--out", "border.txt", "--qr-text", "border.qr"],
    );
    let border = std::fs::read_to_string(net.path("border.txt")).unwrap();
    assert!(
        !border.contains("cG9ydHJhaXQ"),
        "the portrait's name is not disclosed"
    );
    let qr = std::fs::read_to_string(net.path("border.qr")).unwrap();
    assert_eq!(qr.lines().count(), 1, "{qr}");
    let (code, out) = net.verify(
        "--qr-text=border.qr",
        &nonce,
        &["--node", &api, "--portrait-out", "none.jpg"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No portrait disclosed"), "{out}");
    assert!(!net.path("none.jpg").exists());

    // The ledger holds the credential's digests, never the portrait: not in the signed
    // attestation entry the proof carries.
    let envelope: serde_json::Value = serde_json::from_str(&border).unwrap();
    let entry = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(envelope["ledger_proof"]["entry"].as_str().unwrap())
            .unwrap()
    };
    assert!(entry.len() < 400, "{} bytes", entry.len());
    assert!(!entry.windows(16).any(|w| jpeg.windows(16).any(|j| j == w)));

    // Asked for, it is disclosed; verify names it and writes the image.
    let nonce = net.challenge();
    let claims = "givenName,familyName,nationality,countryOfOrigin,hostCountry,\
                  statusGrantedDate,caseNumber,portrait";
    let presented = net.nansen(&[
        "present",
        "--yes",
        &id,
        "--claims",
        claims,
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--node",
        &api,
        "--out",
        "with.txt",
        "--qr-png",
        "with.png",
    ]);
    let said = output_text(&presented);
    assert!(presented.status.success(), "{said}");
    assert!(said.contains("image/jpeg, 1374 bytes"), "{said}");
    let codes: Vec<&str> = said.lines().filter(|l| l.starts_with("QR code ")).collect();
    println!(
        "border profile with the portrait: {} code(s): {codes:?}",
        codes.len()
    );
    let images: Vec<String> = (1..=codes.len())
        .map(|i| match codes.len() {
            1 => "--qr-image=with.png".to_owned(),
            _ => format!("--qr-image=with-{i}.png"),
        })
        .collect();
    let mut args: Vec<&str> = images.iter().skip(1).map(String::as_str).collect();
    args.extend(["--node", &api, "--portrait-out", "face.jpg"]);
    let (code, out) = net.verify(&images[0], &nonce, &args);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("portrait: image/jpeg, 1374 bytes"), "{out}");
    assert!(
        out.contains("Portrait disclosed: written to face.jpg"),
        "{out}"
    );
    assert_eq!(std::fs::read(net.path("face.jpg")).unwrap(), jpeg);
    // Never over an existing file.
    let nonce = net.challenge();
    net.ok(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName,portrait",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--out",
        "again.txt",
    ]);
    let again = net.nansen(&[
        "verify",
        "again.txt",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--portrait-out",
        "face.jpg",
    ]);
    assert_eq!(again.status.code(), Some(2), "{}", output_text(&again));
}
