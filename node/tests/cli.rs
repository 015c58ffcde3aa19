//! The `nansen-node` commands end to end against a real node: keys,
//! genesis, a 2-of-2 governance accreditation gathered in a draft file,
//! and registrar attestation, key rotation and revocation.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{NodeProcess, BIN, PASSPHRASE};
use nansen_test_support::net::{public_key_of, Accreditation};

fn cli(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NANSEN_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("run nansen-node")
}

fn ok(args: &[&str], cwd: &Path) -> String {
    let output = cli(args, cwd);
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn governance_and_registrar_commands_write_through_a_node() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let g1 = public_key_of(&ok(
        &["key", "generate", "--kind", "governance", "--out", "g1.key"],
        d,
    ));
    let g2 = public_key_of(&ok(
        &["key", "generate", "--kind", "governance", "--out", "g2.key"],
        d,
    ));
    let text = std::fs::read_to_string(d.join("g1.key")).expect("key file");
    assert!(text.contains(&g1) && text.contains("argon2id"));
    ok(
        &[
            "genesis",
            "create",
            "--name",
            "cli-test",
            "--governance-key",
            &g1,
            "--governance-key",
            &g2,
            "--threshold",
            "2",
            "--out",
            "genesis.cbor",
        ],
        d,
    );
    let node = NodeProcess::start(&d.join("node"), &d.join("genesis.cbor"), &[]);
    let api = node.addresses.api.clone();

    let r = public_key_of(&ok(
        &["key", "generate", "--kind", "registrar", "--out", "r.key"],
        d,
    ));
    let rn = public_key_of(&ok(
        &["key", "generate", "--kind", "registrar", "--out", "rn.key"],
        d,
    ));
    let accreditation = Accreditation {
        registrar: "office-1",
        display_name: "Office 1",
        kinds: "birth,marriage",
        // Typed as alpha-3 and lower case: written JO, so the attestation in JO below is
        // within the scope.
        jurisdictions: "jor",
    };
    ok(&accreditation.draft_args(&api, "draft.cbor", &r, &rn), d);
    ok(&["governance", "sign", "draft.cbor", "--key", "g1.key"], d);
    let early = cli(&["governance", "submit", "draft.cbor", "--api", &api], d);
    assert!(!early.status.success(), "one signature of two was accepted");
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("insufficient_signatures"),
        "{early:?}"
    );
    ok(&["governance", "sign", "draft.cbor", "--key", "g2.key"], d);
    assert!(ok(&["governance", "submit", "draft.cbor", "--api", &api], d).contains("accepted"));

    let id = "000102030405060708090a0b0c0d0e0f";
    let digest = "11".repeat(32);
    let attest = ok(
        &[
            "registrar",
            "--registrar",
            "office-1",
            "--key",
            "r.key",
            "--api",
            &api,
            "attest",
            "--credential-id",
            id,
            "--di-digest",
            &digest,
            "--sd-digest",
            &digest,
            "--kind",
            "birth",
            "--jurisdiction",
            "JO",
        ],
        d,
    );
    assert!(attest.contains("office-1 #0: accepted"), "{attest}");
    let after = public_key_of(&ok(
        &["key", "generate", "--kind", "registrar", "--out", "rnn.key"],
        d,
    ));
    let rotate = ok(
        &[
            "registrar",
            "--registrar",
            "office-1",
            "--key",
            "r.key",
            "--api",
            &api,
            "rotate-key",
            "--new-key",
            "rn.key",
            "--next-key",
            &after,
        ],
        d,
    );
    assert!(rotate.contains("#1: accepted"), "{rotate}");
    let revoke = ok(
        &[
            "registrar",
            "--registrar",
            "office-1",
            "--key",
            "rn.key",
            "--api",
            &api,
            "revoke",
            "--credential-id",
            id,
            "--reason",
            "issued_in_error",
        ],
        d,
    );
    assert!(revoke.contains("#2: accepted"), "{revoke}");

    let status: serde_json::Value = node
        .api
        .get_json(&format!("/v1/credentials/{id}/status"))
        .await
        .expect("status");
    assert_eq!(status["status"], "revoked", "{status}");
    let chains: serde_json::Value = node.api.get_json("/v1/chains").await.expect("chains");
    let office = chains
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["author"] == "office-1")
        .expect("chain");
    assert_eq!(office["key"], rn);
    assert!(ok(&["status", "--api", &api], d).contains("office-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_bans_and_unbans_a_peer_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let birth = common::birth_network(d, 1, 1);
    let node = NodeProcess::start(&d.join("node"), &birth.genesis, &[]);
    let api = node.addresses.api.clone();
    let stranger = libp2p::identity::Keypair::generate_ed25519()
        .public()
        .to_peer_id()
        .to_string();

    let banned = ok(&["peers", "ban", &stranger, "--api", &api], d);
    assert!(
        banned.contains(&format!("{stranger} banned (was banned: false)")),
        "{banned}"
    );
    let listed = ok(&["peers", "list", "--api", &api], d);
    assert!(
        listed.contains(&format!("banned    {stranger} (until lifted)")),
        "{listed}"
    );
    let lifted = ok(&["peers", "unban", &stranger, "--api", &api], d);
    assert!(
        lifted.contains(&format!("{stranger} not banned (was banned: true)")),
        "{lifted}"
    );
    assert!(!ok(&["peers", "list", "--api", &api], d).contains(&stranger));

    // A malformed peer id and the node's own id are refused by name.
    let bad = cli(&["peers", "ban", "not-a-peer", "--api", &api], d);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a peer id"));
    let own = cli(&["peers", "ban", &node.addresses.peer_id, "--api", &api], d);
    assert!(!own.status.success());
    assert!(
        String::from_utf8_lossy(&own.stderr).contains("own_peer_id"),
        "{own:?}"
    );
}
