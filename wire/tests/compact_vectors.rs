//! The compact envelope's test vectors (`wire/tests/vectors/ns2-*.json`, specified in
//! `specs/credentials.md` 11.2.1): a real presentation (the border profile of a
//! refugee-status credential with its portable ledger proof, made by `nansen present` in a
//! test run), its canonical CBOR, its envelope bytes and its `NS2` text.
//!
//! The files are made by this code: `NANSEN_UPDATE_VECTORS=1 cargo test -p nansen-wire --test
//! compact_vectors` rewrites them from each file's `presentation`. Without it, the test checks
//! that the code still makes exactly what the files hold, and reads every file back.

use std::path::{Path, PathBuf};

use nansen_wire::compact::{canonical_cbor, from_bytes, to_bytes};
use nansen_wire::qr_text::{decode_any_parts, encode_ns2_parts};
use serde_json::{json, Value};

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/vectors")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("ns2-") && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
}

/// What the code makes of a presentation text.
fn made(presentation: &str) -> Value {
    let cbor = canonical_cbor(presentation).expect("compactable");
    let envelope = to_bytes(presentation).expect("compactable");
    let parts = encode_ns2_parts(presentation).expect("compactable");
    json!({
        "presentation_bytes": presentation.len(),
        "cbor_hex": hex(&cbor),
        "cbor_bytes": cbor.len(),
        "envelope_hex": hex(&envelope),
        "envelope_bytes": envelope.len(),
        "ns2_parts": parts,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn the_vectors_are_what_the_code_makes_and_read_back() {
    let files = vector_files();
    assert!(!files.is_empty(), "no ns2-*.json vector");
    let update = std::env::var_os("NANSEN_UPDATE_VECTORS").is_some();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read vector");
        let mut vector: Value = serde_json::from_str(&text).expect("vector JSON");
        let presentation = vector["presentation"]
            .as_str()
            .expect("a presentation")
            .to_owned();
        let made = made(&presentation);
        if update {
            for (k, v) in made.as_object().expect("object") {
                vector[k] = v.clone();
            }
            let out = serde_json::to_string_pretty(&vector).expect("json") + "\n";
            std::fs::write(&file, out).expect("write vector");
            continue;
        }
        for (k, v) in made.as_object().expect("object") {
            assert_eq!(&vector[k], v, "{}: {k}", file.display());
        }
        // Read back: the envelope bytes and the NS2 text give the presentation byte for byte.
        let envelope = unhex(vector["envelope_hex"].as_str().expect("hex"));
        assert_eq!(from_bytes(&envelope).as_deref(), Ok(presentation.as_str()));
        let mut plain = vec![0u8];
        plain.extend(unhex(vector["cbor_hex"].as_str().expect("hex")));
        assert_eq!(from_bytes(&plain).as_deref(), Ok(presentation.as_str()));
        let parts: Vec<&str> = vector["ns2_parts"]
            .as_array()
            .expect("parts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            decode_any_parts(&parts.join("\n")).as_deref(),
            Ok(presentation.as_str())
        );
    }
}
