//! The verifier page's trust file as a running node serves it (`GET /verify/trust.js`): made
//! once and served as the same bytes while the ledger is unchanged, made again when an entry
//! is added (its export then holds that entry).

mod common;

use std::time::Instant;

use common::{attestations, birth_network, NodeProcess};
use serde_json::Value;

/// The trust file inside `trust.js` (`window.NANSEN_TRUST = {...};`).
fn trust_of(script: &[u8]) -> Value {
    let text = std::str::from_utf8(script).expect("UTF-8");
    let json = text
        .trim()
        .strip_prefix("window.NANSEN_TRUST = ")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap_or_else(|| panic!("not a trust script: {}", &text[..text.len().min(80)]));
    serde_json::from_str(json).expect("trust JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trust_file_is_made_once_and_again_only_when_the_ledger_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("node"), &network.genesis, &[]);
    let get = || async { node.api.get("/verify/trust.js").await.expect("trust.js") };

    let first = get().await;
    // A second later: the same bytes (`ledger_written` is the time the export was made, not
    // the time of the request).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let second = get().await;
    assert_eq!(
        first, second,
        "the unchanged ledger's trust file was made again"
    );
    let before = trust_of(&first);
    assert_eq!(
        before["network_id"],
        Value::String(network.net.network.to_hex())
    );
    let entries_before = before["ledger"].as_str().expect("an export").len();

    // Entries added (the accreditation, then 2,000 attestations in batches): the next request
    // serves a file whose export holds them.
    let mut network = network;
    node.submit(std::slice::from_ref(&network.accreditation))
        .await;
    for batch in attestations(&mut network.registrar, 0..2000, 0).chunks(500) {
        node.submit(batch).await;
    }
    let started = Instant::now();
    let third = get().await;
    let made_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_ne!(third, second, "the trust file did not follow the ledger");
    let after = trust_of(&third);
    assert!(
        after["ledger"].as_str().expect("an export").len() > entries_before,
        "the new export does not hold the accreditation"
    );
    assert_eq!(after["genesis"], before["genesis"]);
    assert_eq!(after["witnesses"], before["witnesses"]);
    // And kept again.
    let started = Instant::now();
    assert_eq!(get().await, third);
    let kept_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "GET /verify/trust.js, 2,001 entries ({} bytes): {made_ms:.1} ms when made, \
         {kept_ms:.1} ms when kept (debug build)",
        third.len()
    );
    // The page the file belongs to is served beside it.
    let index = node.api.get("/verify/").await.expect("the page");
    assert!(String::from_utf8_lossy(&index).contains("trust.js"));
}
