//! Real `nansen-node` processes on 127.0.0.1 replicating a ledger: gossip,
//! range sync after a partition, equivocation, export and import.

mod common;

use std::time::Duration;

use common::{attestations, converged, eventually, write_genesis, NodeProcess, BIN, PASSPHRASE};
use ledger::fixtures::{TestNetwork, TestRegistrar};
use ledger::types::EventKind;

const WAIT: Duration = Duration::from_secs(60);

/// A network, one accredited registrar, and the accreditation entry.
fn network_with_registrars(n: u32) -> (TestNetwork, Vec<TestRegistrar>, Vec<Vec<u8>>) {
    let mut net = TestNetwork::new(3, 2);
    let mut registrars = Vec::new();
    let mut governance = Vec::new();
    for i in 1..=n {
        let (registrar, entry) = net
            .accredit(i, &[EventKind::Birth, EventKind::Marriage], &["JO"])
            .expect("accredit");
        registrars.push(registrar);
        governance.push(entry.into_bytes());
    }
    for r in &mut registrars {
        r.governance_size = net.governance_size();
    }
    (net, registrars, governance)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_converge_after_a_registrar_appends_a_thousand_attestations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (net, mut registrars, governance) = network_with_registrars(1);
    let genesis = write_genesis(&net, dir.path());
    let a = NodeProcess::start(&dir.path().join("a"), &genesis, &[]);
    let b = NodeProcess::start(&dir.path().join("b"), &genesis, &[a.address()]);
    // c reaches a over QUIC, the others over TCP.
    let c = NodeProcess::start(&dir.path().join("c"), &genesis, &[a.quic_address()]);

    let answer = a.submit(&governance).await;
    assert_eq!(answer["accepted"], 1, "{answer}");
    let entries = attestations(&mut registrars[0], 0..1000, 10_000);
    let answer = a.submit(&entries).await;
    assert_eq!(answer["accepted"], 1000);

    let heads = converged(
        &[&a, &b, &c],
        &[("governance", 1), ("registrar-1", 1000)],
        WAIT,
    )
    .await;
    assert_eq!(heads.len(), 2);

    // The credential status carries a portable proof cosigned by the node.
    let status: serde_json::Value = c
        .api
        .get_json(&format!(
            "/v1/credentials/{}/status",
            ledger::fixtures::credential_id(7).to_hex()
        ))
        .await
        .expect("status");
    assert_eq!(status["status"], "active");
    assert_eq!(status["seq"], 7);
    assert!(status["portable_proof"]["checkpoint"]
        .as_str()
        .expect("checkpoint")
        .contains("nansen-witness-"));

    // The served checkpoint carries the node's classic note signature
    // (type 0x01) under the key /v1/info publishes, checked here from the
    // C2SP signed-note rules alone.
    let info: serde_json::Value = c.api.get_json("/v1/info").await.expect("info");
    let vkey = info["checkpoint_key"].as_str().expect("checkpoint_key");
    let note = c
        .api
        .get("/v1/chains/registrar-1/checkpoint")
        .await
        .expect("checkpoint");
    let note = String::from_utf8(note).expect("UTF-8 note");
    assert_eq!(note_signature_checks(&note, vkey), Ok(()), "{note}");
    let mut altered = note.replacen("\n1000\n", "\n999\n", 1);
    if altered == note {
        altered = note.replacen("registrar-1\n", "registrar-2\n", 1);
    }
    assert!(note_signature_checks(&altered, vkey).is_err());

    // Witnesses gossip cosigned checkpoints: some node ends up holding
    // cosignatures from more than one witness.
    eventually(WAIT, "cosignatures from several witnesses", || async {
        let note = a
            .api
            .get("/v1/chains/registrar-1/checkpoint")
            .await
            .expect("checkpoint");
        String::from_utf8_lossy(&note)
            .matches("nansen-witness-")
            .count()
            >= 2
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_node_catches_up_by_range_sync_after_both_sides_appended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (net, mut registrars, governance) = network_with_registrars(2);
    let genesis = write_genesis(&net, dir.path());
    let a = NodeProcess::start(&dir.path().join("a"), &genesis, &[]);
    let b_dir = dir.path().join("b");
    let b = NodeProcess::start(&b_dir, &genesis, &[a.address()]);
    a.submit(&governance).await;
    let first = attestations(&mut registrars[0], 0..50, 10_000);
    a.submit(&first).await;
    converged(&[&a, &b], &[("registrar-1", 50)], WAIT).await;

    // Partition: b stops; a's side appends; b comes back alone (new port,
    // no bootstrap) and appends on its side.
    b.stop();
    let on_a = attestations(&mut registrars[0], 50..2550, 10_000);
    a.submit(&on_a).await;
    let b = NodeProcess::start(&b_dir, &genesis, &[]);
    let on_b = attestations(&mut registrars[1], 10_000..10_300, 10_000);
    b.submit(&on_b).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        b.heads()
            .await
            .iter()
            .find(|h| h.0 == "registrar-1")
            .map(|h| h.1),
        Some(50)
    );

    // Heal: b restarts with a as bootstrap peer; both pull what they lack. (a published its
    // entries while it had no peer: gossipsub keeps no history of those, so b can only get
    // them by range sync.)
    b.stop();
    let b = NodeProcess::start(&b_dir, &genesis, &[a.address()]);
    converged(
        &[&a, &b],
        &[("registrar-1", 2550), ("registrar-2", 300)],
        WAIT,
    )
    .await;
    let metrics = String::from_utf8(b.api.get("/metrics").await.expect("metrics")).expect("utf8");
    let synced: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("nansen_sync_entries_total "))
        .and_then(|v| v.parse().ok())
        .expect("sync counter");
    assert!(synced >= 2500, "b pulled {synced} entries by range sync");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equivocation_spreads_to_every_node_and_freezes_the_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (net, mut registrars, governance) = network_with_registrars(1);
    let genesis = write_genesis(&net, dir.path());
    let a = NodeProcess::start(&dir.path().join("a"), &genesis, &[]);
    let b = NodeProcess::start(&dir.path().join("b"), &genesis, &[a.address()]);
    let c = NodeProcess::start(&dir.path().join("c"), &genesis, &[a.address()]);
    a.submit(&governance).await;
    let before = attestations(&mut registrars[0], 0..5, 10_000);
    a.submit(&before).await;
    converged(&[&a, &b, &c], &[("registrar-1", 5)], WAIT).await;

    // The same key signs two different entries at seq 5.
    let mut fork = TestRegistrar {
        id: registrars[0].id.clone(),
        key: ledger::signing::KeyPair::from_seed(&registrars[0].key.seed()),
        next_key: ledger::signing::KeyPair::from_seed(&registrars[0].next_key.seed()),
        writer: registrars[0].writer.clone(),
        governance_size: registrars[0].governance_size,
    };
    let x = attestations(&mut registrars[0], 100..101, 10_000);
    let y = attestations(&mut fork, 200..201, 10_000);
    assert_ne!(x, y);
    let (ra, rb) = tokio::join!(a.api.submit(&x), b.api.submit(&y));
    ra.expect("x submitted");
    rb.expect("y submitted");

    for node in [&a, &b, &c] {
        eventually(
            WAIT,
            "the equivocation proof and a frozen chain",
            || async {
                let proofs: serde_json::Value = node
                    .api
                    .get_json("/v1/equivocations")
                    .await
                    .expect("proofs");
                let chains: serde_json::Value =
                    node.api.get_json("/v1/chains").await.expect("chains");
                let frozen = chains
                    .as_array()
                    .expect("chains")
                    .iter()
                    .any(|c| c["author"] == "registrar-1" && c["frozen_at"] == 5);
                proofs
                    .as_array()
                    .is_some_and(|p| p.len() == 1 && p[0]["seq"] == 5)
                    && frozen
            },
        )
        .await;
    }
    // Nothing more is accepted on the frozen chain.
    let after = attestations(&mut registrars[0], 300..301, 10_000);
    let refused = c.api.submit(&after).await;
    assert!(refused.is_err() || refused.as_ref().is_ok_and(|v| v.accepted == 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_into_a_fresh_node_gives_identical_heads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (net, mut registrars, governance) = network_with_registrars(2);
    let genesis = write_genesis(&net, dir.path());
    let a = NodeProcess::start(&dir.path().join("a"), &genesis, &[]);
    a.submit(&governance).await;
    a.submit(&attestations(&mut registrars[0], 0..400, 10_000))
        .await;
    a.submit(&attestations(&mut registrars[1], 1000..1150, 10_000))
        .await;

    let file = dir.path().join("ledger.cbor");
    let status = std::process::Command::new(BIN)
        .args(["export", "--api", &a.addresses.api, "--out"])
        .arg(&file)
        .status()
        .expect("export");
    assert!(status.success());

    // A verifier's export: only the chains it names.
    let whole = std::fs::read(&file).expect("export file");
    let scoped = a
        .api
        .get("/v1/export?authors=governance,registrar-2")
        .await
        .expect("scoped export");
    let count = |bytes: &[u8]| {
        nansen_node::api::split_cbor_sequence(bytes)
            .expect("CBOR sequence")
            .len()
    };
    assert_eq!(count(&whole), 552);
    assert_eq!(count(&scoped), 2 + 150);
    let mut expected = Vec::new();
    for entry in nansen_node::api::split_cbor_sequence(&whole).expect("split") {
        let decoded = ledger::entry::Entry::decode(&entry, usize::MAX).expect("entry");
        if matches!(decoded.body().author.as_str(), "governance" | "registrar-2") {
            expected.extend_from_slice(&entry);
        }
    }
    assert_eq!(scoped, expected, "the chosen chains, in export order");
    match a.api.get("/v1/export?authors=governance,Not_An_Id").await {
        Err(nansen_node::client::ClientError::Api { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (400, "bad_author"));
        }
        other => panic!("a bad author must be refused: {other:?}"),
    }

    let fresh = NodeProcess::start(&dir.path().join("fresh"), &genesis, &[]);
    let output = std::process::Command::new(BIN)
        .arg("import")
        .arg(&file)
        .args(["--api", &fresh.addresses.api])
        .env("NANSEN_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("import");
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("552 accepted"),
        "{output:?}"
    );
    assert_eq!(a.heads().await, fresh.heads().await);

    let status = std::process::Command::new(BIN)
        .args(["status", "--api", &fresh.addresses.api])
        .output()
        .expect("status");
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("registrar-2") && text.contains("150"),
        "{text}"
    );
}

/// Checks the signature line of the `0x01` verifier key `vkey`
/// (`<name>+<key id hex>+<base64 of 0x01 || public key>`) on a signed
/// note, by the C2SP signed-note rules: the key id is the first 4 bytes of
/// SHA-256(name || "\n" || 0x01 || public key), a line is
/// "— <name> <base64 of key id || signature>", and the signature is Ed25519
/// over the note text (the lines before the blank line, each with its
/// newline).
fn note_signature_checks(note: &str, vkey: &str) -> Result<(), String> {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    use sha2::{Digest, Sha256};

    // The name holds no '+'; the base64 may.
    let mut fields = vkey.splitn(3, '+');
    let (Some(name), Some(id_hex), Some(key_b64)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err(format!("not a verifier key: {vkey}"));
    };
    let key = STANDARD.decode(key_b64).map_err(|e| e.to_string())?;
    let (0x01, public) = (key[0], &key[1..]) else {
        return Err("not an Ed25519 (0x01) key".into());
    };
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(&key);
    let id: [u8; 4] = h.finalize()[..4].try_into().map_err(|_| "id")?;
    if hex::encode(id) != id_hex {
        return Err("the key id does not match the key".into());
    }
    let public: [u8; 32] = public.try_into().map_err(|_| "key length")?;
    let verifying = VerifyingKey::from_bytes(&public).map_err(|e| e.to_string())?;
    let (text, signatures) = note
        .split_once("\n\n")
        .ok_or("no blank line between text and signatures")?;
    let text = format!("{text}\n");
    for line in signatures.lines() {
        let Some(rest) = line.strip_prefix("\u{2014} ") else {
            return Err(format!("not a signature line: {line}"));
        };
        let Some((line_name, b64)) = rest.split_once(' ') else {
            return Err(format!("not a signature line: {line}"));
        };
        let bytes = STANDARD.decode(b64).map_err(|e| e.to_string())?;
        if line_name != name || bytes.len() != 68 || bytes[..4] != id {
            continue;
        }
        let signature = Signature::from_slice(&bytes[4..]).map_err(|e| e.to_string())?;
        return verifying
            .verify(text.as_bytes(), &signature)
            .map_err(|e| format!("signature does not verify: {e}"));
    }
    Err(format!("no signature line of {name}"))
}
