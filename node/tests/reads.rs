//! Reads that never wait and never write, on a real `nansen-node` process:
//! a chain's checkpoint is cosigned when the batch that grew it is
//! applied, before the POST answers, and GETs only read it; API reads
//! answer while a large batch is still being ingested.

mod common;

use std::time::{Duration, Instant};

use common::{attestations, birth_network, NodeProcess};
use ledger::fixtures::credential_id;
use serde_json::Value;

/// The `checkpoint` object `GET /v1/chains` shows for `author`.
async fn listed_checkpoint(node: &NodeProcess, author: &str) -> Value {
    let chains: Value = node.api.get_json("/v1/chains").await.expect("chains");
    chains
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["author"] == author)
        .map(|c| c["checkpoint"].clone())
        .unwrap_or(Value::Null)
}

/// The size `GET /v1/chains` shows for `author`.
async fn listed_size(node: &NodeProcess, author: &str) -> u64 {
    let chains: Value = node.api.get_json("/v1/chains").await.expect("chains");
    chains
        .as_array()
        .and_then(|a| a.iter().find(|c| c["author"] == author))
        .and_then(|c| c["size"].as_u64())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkpoint_is_cosigned_before_the_post_answers_and_gets_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut network = birth_network(dir.path(), 1, 1);
    // No witness round during the test: whatever is cosigned is cosigned
    // by the ingest itself.
    let node = NodeProcess::start_with(
        &dir.path().join("a"),
        &network.genesis,
        &[],
        &["--cosign-secs", "3600"],
    );
    node.submit(std::slice::from_ref(&network.accreditation))
        .await;
    let answer = node
        .submit(&attestations(&mut network.registrar, 0..100, 0))
        .await;
    assert_eq!(answer["accepted"], 100, "{answer}");

    // Already cosigned when the POST answered, as /v1/chains (which reads
    // the stored note) shows before any checkpoint GET.
    let before = listed_checkpoint(&node, "registrar-1").await;
    assert_eq!(before["size"], 100, "not cosigned at ingest: {before}");
    assert_eq!(listed_checkpoint(&node, "governance").await["size"], 1);

    let status_path = format!("/v1/credentials/{}/status", credential_id(7).to_hex());
    let first = node
        .api
        .get("/v1/chains/registrar-1/checkpoint")
        .await
        .expect("checkpoint");
    let first_status: Value = node.api.get_json(&status_path).await.expect("status");
    for _ in 0..5 {
        // A second later, a GET that cosigned would add a fresh timestamp.
        tokio::time::sleep(Duration::from_millis(250)).await;
        let again = node
            .api
            .get("/v1/chains/registrar-1/checkpoint")
            .await
            .expect("checkpoint");
        assert_eq!(again, first, "a GET changed the served checkpoint");
        let status: Value = node.api.get_json(&status_path).await.expect("status");
        assert_eq!(status, first_status);
    }
    let note = String::from_utf8(first).expect("UTF-8 note");
    assert!(note.contains("\n100\n"), "{note}");
    assert!(note.contains("nansen-witness-"), "{note}");
    assert!(note.contains("nansen-node-"), "{note}");
    assert_eq!(
        first_status["portable_proof"]["checkpoint"].as_str(),
        Some(note.as_str())
    );
    assert_eq!(listed_checkpoint(&node, "registrar-1").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_reads_answer_while_a_large_batch_is_being_ingested() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut network = birth_network(dir.path(), 1, 1);
    let node = NodeProcess::start(&dir.path().join("a"), &network.genesis, &[]);
    node.submit(std::slice::from_ref(&network.accreditation))
        .await;
    node.submit(&attestations(&mut network.registrar, 0..10, 0))
        .await;
    // The largest batch one POST takes: seconds of validation and
    // signature checks, during which the old node answered no read.
    let batch = attestations(&mut network.registrar, 10..50_010, 0);
    let api = node.api.clone();
    let sent = Instant::now();
    let post = tokio::spawn(async move { api.submit(&batch).await });

    // Give the body time to arrive and the ingest to start (the old node
    // was well into it by then, holding its one lock).
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let reads = [
        "/v1/info".to_owned(),
        "/v1/status".to_owned(),
        "/v1/chains/registrar-1/checkpoint".to_owned(),
        "/v1/chains/registrar-1/entries/3".to_owned(),
        format!("/v1/credentials/{}/status", credential_id(3).to_hex()),
    ];
    // Every read, bracketed by two looks at the chain, answers before the
    // batch is applied: while it is still being checked.
    let size_before = listed_size(&node, "registrar-1").await;
    for path in &reads {
        let started = Instant::now();
        node.api
            .get(path)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        println!(
            "{path}: {:?} ({:?} after the POST was sent)",
            started.elapsed(),
            sent.elapsed()
        );
    }
    let size_after = listed_size(&node, "registrar-1").await;
    let in_flight = !post.is_finished();
    let answer = post.await.expect("task").expect("submit");
    println!("POST of 50,000 entries answered after {:?}", sent.elapsed());
    assert_eq!(answer.accepted, 50_000);
    assert_eq!(
        (size_before, size_after, in_flight),
        (10, 10, true),
        "the reads waited for the batch to be applied"
    );
    // And the checkpoint of the grown chain was cosigned with it.
    let chains: Value = node.api.get_json("/v1/chains").await.expect("chains");
    let registrar = chains
        .as_array()
        .and_then(|a| a.iter().find(|c| c["author"] == "registrar-1"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(registrar["checkpoint"]["size"], 50_010, "{registrar}");
}
