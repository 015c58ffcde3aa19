//! Tests on the C2SP / Go sumdb note vectors and on malformed input.

use super::*;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

const VECTOR_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/c2sp-tlog");

/// RFC 8032 section 7.1 TEST 1 secret key (seed of the vectors-log key).
const RFC8032_TEST1_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
/// RFC 8032 section 7.1 TEST 2 secret key (seed of the witness key).
const RFC8032_TEST2_SEED: &str = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";

#[derive(Deserialize)]
struct VectorFile {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    id: String,
    skey: Option<String>,
    vkey: Option<String>,
    vkeys: Option<Vec<String>>,
    text: Option<String>,
    note: Option<String>,
    witness_vkey_type04: Option<String>,
    timestamp: Option<u64>,
    signed_message: Option<String>,
    cosigned_checkpoint: Option<String>,
    request_body: Option<String>,
    witness_state_before: Option<WitnessState>,
}

#[derive(Deserialize)]
struct WitnessState {
    origin: String,
    size: u64,
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{VECTOR_DIR}/{rel}")).expect("vector file")
}

fn vectors() -> Vec<Vector> {
    let file: VectorFile =
        serde_json::from_str(&read("signed-note-vectors.json")).expect("vector json");
    file.vectors
}

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn vkey(s: &str) -> VerifierKey {
    let key = VerifierKey::parse(s).expect("vkey parses");
    assert_eq!(key.to_string(), s, "vkey round trip");
    assert_eq!(
        key.key_id(),
        key_id(key.name(), key.key_type(), &key.public_key()),
        "key id = SHA-256(name || 0x0A || type || key)[:4]"
    );
    key
}

fn skey(s: &str) -> SignerKey {
    let key = SignerKey::parse(s).expect("skey parses");
    assert_eq!(key.to_encoded(), s, "skey round trip");
    key
}

fn note(s: &str) -> Note {
    let parsed = Note::parse(s.as_bytes()).expect("note parses");
    assert_eq!(parsed.to_bytes(), s.as_bytes(), "note round trip");
    parsed
}

/// Runs one JSON vector; panics with the vector id on failure.
fn run_vector(v: &Vector) {
    let id = v.id.as_str();
    match id {
        "c2sp-signed-note-example" => {
            let key = vkey(v.vkey.as_deref().unwrap_or_default());
            assert_eq!(key.key_id(), 0x530d903a);
            let n = note(v.note.as_deref().unwrap_or_default());
            assert_eq!(n.text(), "This is an example message.\n");
            let ok = n.verify(std::slice::from_ref(&key)).expect("verifies");
            assert_eq!(ok.len(), 1);
            assert_eq!((ok[0].key_index, ok[0].timestamp), (0, None));
        }
        "c2sp-signed-note-example-tampered-text" => {
            let key = vkey(v.vkey.as_deref().unwrap_or_default());
            let n = note(v.note.as_deref().unwrap_or_default());
            assert_eq!(
                n.verify(&[key]),
                Err(CheckpointError::BadSignature {
                    name: "example.com/foo".into(),
                    key_id: 0x530d903a
                })
            );
        }
        "x-mod-sumdb-note-peterneumann" => {
            let signer = skey(v.skey.as_deref().unwrap_or_default());
            let key = vkey(v.vkey.as_deref().unwrap_or_default());
            assert_eq!(signer.verifier(), key);
            assert_eq!(signer.key_type(), KeyType::Ed25519);
            let n = note(v.note.as_deref().unwrap_or_default());
            n.verify(std::slice::from_ref(&key)).expect("verifies");
            let mut fresh = Note::new(v.text.clone().unwrap_or_default()).expect("text");
            fresh.sign(&signer).expect("signs");
            assert_eq!(fresh.to_bytes(), n.to_bytes(), "byte-identical re-signing");
        }
        "x-mod-sumdb-note-two-signers" => {
            let keys: Vec<_> = v.vkeys.iter().flatten().map(|k| vkey(k)).collect();
            assert_eq!(keys.len(), 2);
            let n = note(v.note.as_deref().unwrap_or_default());
            let both = n.verify(&keys).expect("both verify");
            assert_eq!(
                both.iter()
                    .map(|s| (s.key_index, s.name.as_str()))
                    .collect::<Vec<_>>(),
                vec![(0, "PeterNeumann"), (1, "EnochRoot")]
            );
            for key in &keys {
                let one = n.verify(std::slice::from_ref(key)).expect("one verifies");
                assert_eq!(one.len(), 1, "the other signature is ignored");
                assert_eq!(one[0].name, key.name());
            }
            assert_eq!(n.verify(&[]), Err(CheckpointError::UnknownKey));
        }
        "checkpoint-reference-tree-size6" | "checkpoint-reference-tree-size8" => {
            let signer = skey(v.skey.as_deref().unwrap_or_default());
            let key = vkey(v.vkey.as_deref().unwrap_or_default());
            assert_eq!(signer.verifier(), key);
            let text = v.note.as_deref().unwrap_or_default();
            let size: u64 = if id.ends_with("size6") { 6 } else { 8 };
            let file = read(&format!("generated-azul/checkpoint-size{size}.txt"));
            assert_eq!(file, text, "JSON and generated-azul file agree");
            let signed = SignedCheckpoint::parse(text.as_bytes()).expect("parses");
            assert_eq!(signed.to_bytes(), text.as_bytes());
            let cp = signed.checkpoint();
            assert_eq!(cp.origin, "example.com/vectors-log");
            assert_eq!(cp.size, size);
            assert!(cp.extensions.is_empty());
            let ok = signed
                .verify_with(std::slice::from_ref(&key))
                .expect("verifies");
            assert_eq!(ok.len(), 1);
            let mut fresh = SignedCheckpoint::new(cp.clone()).expect("checkpoint");
            fresh.sign(&signer).expect("signs");
            assert_eq!(
                fresh.to_bytes(),
                text.as_bytes(),
                "byte-identical re-signing"
            );
        }
        "cosignature-v1-ed25519" => {
            let witness = vkey(v.witness_vkey_type04.as_deref().unwrap_or_default());
            assert_eq!(witness.key_type(), KeyType::Cosignature);
            let log = vkey(
                "example.com/vectors-log+766292c9+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea",
            );
            let ts = v.timestamp.unwrap_or_default();
            let text = v.cosigned_checkpoint.as_deref().unwrap_or_default();
            let signed = SignedCheckpoint::parse(text.as_bytes()).expect("parses");
            assert_eq!(signed.to_bytes(), text.as_bytes());
            assert_eq!(
                cosignature_message(signed.note().text(), ts),
                v.signed_message.as_deref().unwrap_or_default().as_bytes()
            );
            let ok = signed
                .verify_with(&[log.clone(), witness.clone()])
                .expect("verifies");
            assert_eq!(ok.len(), 2);
            assert_eq!((ok[0].key_type, ok[0].timestamp), (KeyType::Ed25519, None));
            assert_eq!(
                (ok[1].key_type, ok[1].timestamp),
                (KeyType::Cosignature, Some(ts))
            );
            // The witness alone is enough; the log signature is then unknown.
            let only = signed
                .verify_with(std::slice::from_ref(&witness))
                .expect("verifies");
            assert_eq!(only[0].timestamp, Some(ts));
            // Re-cosign the size-8 checkpoint with RFC 8032 TEST 2 seed.
            let w = SignerKey::from_seed(
                witness.name(),
                KeyType::Cosignature,
                hex32(RFC8032_TEST2_SEED),
            )
            .expect("seed");
            assert_eq!(w.verifier(), witness);
            let size8 = read("generated-azul/checkpoint-size8.txt");
            let mut fresh = SignedCheckpoint::parse(size8.as_bytes()).expect("parses");
            let line = fresh.cosign(&w, ts).expect("cosigns");
            assert_eq!(
                fresh.to_bytes(),
                text.as_bytes(),
                "byte-identical cosignature"
            );
            assert_eq!(line.signature[..8], ts.to_be_bytes());
        }
        "tlog-witness-add-checkpoint-request" => {
            let body = v.request_body.as_deref().unwrap_or_default();
            let req = AddCheckpointRequest::parse(body.as_bytes()).expect("parses");
            assert_eq!(req.to_bytes(), body.as_bytes(), "request round trip");
            let before = v.witness_state_before.as_ref().expect("state");
            assert_eq!(req.old_size, before.size);
            assert_eq!(req.checkpoint.checkpoint().origin, before.origin);
            assert_eq!(req.checkpoint.checkpoint().size, 8);
            assert_eq!(req.proof.len(), 3);
            let log = vkey(
                "example.com/vectors-log+766292c9+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea",
            );
            req.checkpoint
                .verify_with(&[log])
                .expect("log signature verifies");
        }
        other => panic!("vector {other} has no runner"),
    }
}

#[test]
fn every_json_vector() {
    let all = vectors();
    assert_eq!(all.len(), 8, "vector count changed: add runners");
    for v in &all {
        let result = std::panic::catch_unwind(|| run_vector(v));
        assert!(result.is_ok(), "vector {} failed", v.id);
    }
}

#[test]
fn generated_azul_keys_use_rfc8032_test1_seed() {
    let keys = read("generated-azul/keys.txt");
    let skey_line = keys
        .lines()
        .find_map(|l| l.strip_prefix("skey "))
        .expect("skey");
    let vkey_line = keys
        .lines()
        .find_map(|l| l.strip_prefix("vkey "))
        .expect("vkey");
    let signer = skey(skey_line);
    let from_seed = SignerKey::from_seed(
        "example.com/vectors-log",
        KeyType::Ed25519,
        hex32(RFC8032_TEST1_SEED),
    )
    .expect("seed");
    assert_eq!(from_seed.to_encoded(), skey_line);
    assert_eq!(signer.verifier(), vkey(vkey_line));
    assert_eq!(format!("{:08x}", signer.key_id()), "766292c9");
    // RFC 8032 TEST 1 public key.
    assert_eq!(
        hex(&signer.verifier().public_key()),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
}

#[test]
fn spec_examples_parse_and_keep_unknown_signatures() {
    // The C2SP signed-note example: its text holds an empty line.
    let poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u{e8} subito sera.\n\n\u{2014} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
    let n = note(poem);
    assert!(n.text().ends_with("\n\ned \u{e8} subito sera.\n"));
    assert_eq!(n.signatures()[0].key_id, 0x367ba04b);
    assert_eq!(n.verify(&[]), Err(CheckpointError::UnknownKey));

    // The C2SP tlog-cosignature example: a checkpoint with a cosignature.
    let sofa = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    let signed = SignedCheckpoint::parse(sofa.as_bytes()).expect("parses");
    assert_eq!(signed.to_bytes(), sofa.as_bytes());
    assert_eq!(signed.checkpoint().size, 20852163);
    let cosig = &signed.signatures()[1];
    assert_eq!(cosig.signature.len(), 72);
    assert_eq!(cosig.signature[..8], 1679315147u64.to_be_bytes());
    // An unrelated key with the same name is ignored, not a failure.
    let other = SignerKey::from_seed("witness.example.com/w1", KeyType::Cosignature, [7; 32])
        .expect("key")
        .verifier();
    assert_eq!(
        signed.verify_with(&[other]),
        Err(CheckpointError::UnknownKey)
    );
}

/// A deterministic "CSPRNG" for tests only.
struct CounterRng(u8);

impl ed25519_dalek::rand_core::TryRng for CounterRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(())
    }
}

impl ed25519_dalek::rand_core::TryCryptoRng for CounterRng {}

const NETWORK_HEX: &str = "6e616e73656e2d6578616d706c652d6e6574776f726b2d69642d303030303031";

fn nansen_checkpoint(author: &str) -> Checkpoint {
    Checkpoint {
        origin: format!("nansen/{NETWORK_HEX}/{author}"),
        size: 3,
        root: [0x5a; 32],
        extensions: vec![],
    }
}

#[test]
fn sign_cosign_parse_verify_round_trip() {
    let mut rng = CounterRng(0);
    let origin = nansen_checkpoint("camp-azraq-01").origin;
    let log = SignerKey::generate(&origin, KeyType::Ed25519, &mut rng).expect("log key");
    let w1 = SignerKey::generate("witness.example/w1", KeyType::Cosignature, &mut rng).expect("w1");
    let w2 = SignerKey::generate("witness.example/w2", KeyType::Cosignature, &mut rng).expect("w2");
    assert!(
        !format!("{log:?}").contains(&log.to_encoded()[12..]),
        "Debug hides the seed"
    );
    assert_eq!(skey(&log.to_encoded()).verifier(), log.verifier());

    let mut signed = SignedCheckpoint::new(nansen_checkpoint("camp-azraq-01")).expect("new");
    signed.sign(&log).expect("sign");
    let line = signed.cosign(&w1, 1_700_000_000).expect("cosign");
    // A witness response carries bare signature lines.
    let response = signed.cosign(&w2, 1_700_000_001).expect("cosign").to_line();
    assert_eq!(
        parse_signature_lines(&response).expect("lines")[0].name,
        "witness.example/w2"
    );
    assert_eq!(
        NoteSignature::parse_line(line.to_line().trim_end()),
        Ok(line.clone())
    );

    let bytes = signed.to_bytes();
    let parsed = SignedCheckpoint::parse(&bytes).expect("parse");
    assert_eq!(parsed, signed);
    let keys = [w2.verifier(), log.verifier(), w1.verifier()];
    let ok = parsed.verify_with(&keys).expect("verify");
    let got: Vec<_> = ok.iter().map(|v| (v.key_index, v.timestamp)).collect();
    assert_eq!(
        got,
        vec![
            (1, None),
            (2, Some(1_700_000_000)),
            (0, Some(1_700_000_001))
        ]
    );

    // Each key is reported once even if its line is repeated.
    let mut twice = parsed.clone();
    twice.push_signature(line).expect("push");
    assert_eq!(twice.verify_with(&keys).expect("verify").len(), 3);
    // A repeated identical key in the key list is not ambiguous.
    assert!(parsed
        .verify_with(&[log.verifier(), log.verifier()])
        .is_ok());
}

#[test]
fn checkpoint_body_round_trip_and_extensions() {
    let mut cp = nansen_checkpoint("governance");
    cp.size = 0;
    cp.extensions = vec!["ext one".into(), "\u{2014} two".into()];
    let body = cp.to_body().expect("body");
    assert!(body.starts_with(&format!("nansen/{NETWORK_HEX}/governance\n0\n")));
    assert_eq!(Checkpoint::parse_body(&body), Ok(cp.clone()));
    cp.size = u64::MAX;
    assert_eq!(Checkpoint::parse_body(&cp.to_body().expect("body")), Ok(cp));
}

fn cp_err(body: &str) -> CheckpointError {
    Checkpoint::parse_body(body).expect_err(body)
}

#[test]
fn malformed_checkpoints() {
    let root = STANDARD.encode([1u8; 32]);
    assert_eq!(cp_err("o\n1\n"), CheckpointError::MalformedCheckpoint);
    assert_eq!(
        cp_err(&format!("o\n1\n{root}")),
        CheckpointError::MalformedCheckpoint
    );
    assert_eq!(
        cp_err(&format!("\n1\n{root}\n")),
        CheckpointError::MalformedOrigin
    );
    for size in [
        "08",
        "+8",
        "-1",
        "",
        " 8",
        "8 ",
        "0x8",
        "18446744073709551616",
        "\u{0668}",
    ] {
        assert_eq!(
            cp_err(&format!("o\n{size}\n{root}\n")),
            CheckpointError::MalformedTreeSize,
            "{size:?}"
        );
    }
    let short = STANDARD.encode([1u8; 31]);
    let unpadded = root.trim_end_matches('=');
    let trailing_bits = format!("{}B=", &root[..42]); // last char carries non-zero unused bits
    for bad in [
        short.as_str(),
        unpadded,
        trailing_bits.as_str(),
        "",
        "not base64",
    ] {
        assert_eq!(
            cp_err(&format!("o\n1\n{bad}\n")),
            CheckpointError::MalformedRootHash,
            "{bad:?}"
        );
    }
    assert_eq!(
        cp_err(&format!("o\n1\n{root}\n\n")),
        CheckpointError::MalformedExtension { index: 0 }
    );
    assert_eq!(
        cp_err(&format!("o\n1\n{root}\next\n\nmore\n")),
        CheckpointError::MalformedExtension { index: 1 }
    );
    let mut cp = nansen_checkpoint("governance");
    cp.extensions = vec!["a\nb".into()];
    assert_eq!(
        cp.to_body(),
        Err(CheckpointError::MalformedExtension { index: 0 })
    );
    cp.extensions.clear();
    cp.origin = "bad\norigin".into();
    assert_eq!(
        SignedCheckpoint::new(cp).map(|_| ()),
        Err(CheckpointError::MalformedOrigin)
    );
    // A note that is valid but not a checkpoint (two lines of text).
    let v = vectors();
    let two_lines = v[2].note.as_deref().unwrap_or_default();
    assert_eq!(
        SignedCheckpoint::parse(two_lines.as_bytes()).map(|_| ()),
        Err(CheckpointError::MalformedCheckpoint)
    );
}

const GOOD: &str = "text\n\n\u{2014} name AAAAAQI=\n";

fn note_err(s: &str) -> CheckpointError {
    Note::parse(s.as_bytes()).expect_err(s)
}

#[test]
fn malformed_notes() {
    assert!(Note::parse(GOOD.as_bytes()).is_ok());
    let big = format!("{}\n\n\u{2014} name AAAAAQI=\n", "a".repeat(MAX_NOTE_BYTES));
    assert!(matches!(note_err(&big), CheckpointError::TooLarge { .. }));
    assert_eq!(
        Note::parse(b"te\xffxt\n\n\xe2\x80\x94 name AAAAAQI=\n"),
        Err(CheckpointError::MalformedEncoding)
    );
    assert_eq!(
        note_err("text\r\n\n\u{2014} name AAAAAQI=\n"),
        CheckpointError::MalformedControlCharacter { offset: 4 }
    );
    assert_eq!(
        note_err("te\txt\n\n\u{2014} name AAAAAQI=\n"),
        CheckpointError::MalformedControlCharacter { offset: 2 }
    );
    assert_eq!(
        note_err("text\n\u{2014} name AAAAAQI=\n"),
        CheckpointError::MissingSignatures
    );
    assert_eq!(note_err("text\n\n"), CheckpointError::MissingSignatures);
    assert_eq!(note_err(""), CheckpointError::MissingSignatures);
    let line1 = CheckpointError::MalformedSignatureLine { line: 1 };
    for bad in [
        "text\n\n- name AAAAAQI=\n",         // hyphen, not em dash
        "text\n\n\u{2014}name AAAAAQI=\n",   // no space after the dash
        "text\n\n\u{2014} nameAAAAAQI=\n",   // no space before base64
        "text\n\n\u{2014} name  AAAAAQI=\n", // two spaces
        "text\n\n\u{2014} name AAAAAQI=\u{a0}\n",
        "text\n\n\u{2014} name AAAAAQ==\n", // 4 bytes: key id only
        "text\n\n\u{2014} name AAAAAQJ=\n", // non-canonical trailing bits
        "text\n\n\u{2014} name AAAAAQI\n",  // missing padding
        "text\n\n\u{2014} name \n",         // empty signature
        "text\n\n\u{2014} name AAAAAQI=",   // no final newline
    ] {
        assert_eq!(note_err(bad), line1, "{bad:?}");
    }
    assert_eq!(
        note_err(&format!("{GOOD}\u{2014} name AAAAAQI=\nx\n")),
        CheckpointError::MalformedSignatureLine { line: 3 }
    );
    for bad_name in ["a+b", "a\u{a0}b", "a\u{3000}b"] {
        assert_eq!(
            note_err(&format!("text\n\n\u{2014} {bad_name} AAAAAQI=\n")),
            CheckpointError::MalformedKeyName
        );
    }
    assert_eq!(
        note_err("text\n\n\u{2014}  AAAAAQI=\n"),
        CheckpointError::MalformedKeyName
    );
    let at_limit = format!(
        "text\n\n{}",
        "\u{2014} name AAAAAQI=\n".repeat(MAX_SIGNATURES)
    );
    assert_eq!(
        Note::parse(at_limit.as_bytes()).map(|n| n.signatures().len()),
        Ok(100)
    );
    let over = format!("{at_limit}\u{2014} name AAAAAQI=\n");
    assert_eq!(
        note_err(&over),
        CheckpointError::TooManySignatures {
            max: MAX_SIGNATURES
        }
    );
    let mut full = Note::parse(at_limit.as_bytes()).expect("parses");
    let extra = full.signatures()[0].clone();
    assert_eq!(
        full.push_signature(extra),
        Err(CheckpointError::TooManySignatures {
            max: MAX_SIGNATURES
        })
    );

    assert_eq!(Note::new("no newline"), Err(CheckpointError::MalformedText));
    assert_eq!(Note::new(""), Err(CheckpointError::MalformedText));
    assert_eq!(
        Note::new("a\rb\n"),
        Err(CheckpointError::MalformedControlCharacter { offset: 1 })
    );
    assert_eq!(
        parse_signature_lines(""),
        Err(CheckpointError::MissingSignatures)
    );
}

const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

#[test]
fn malformed_keys() {
    use CheckpointError as E;
    let vk = |s: &str| VerifierKey::parse(s).expect_err(s);
    assert_eq!(vk("PeterNeumann+c74f20a3"), E::MalformedVerifierKey);
    assert_eq!(vk("PeterNeumann"), E::MalformedVerifierKey);
    assert_eq!(
        vk(&PETER_VKEY.replace("c74f20a3", "C74F20A3")),
        E::MalformedVerifierKey
    );
    assert_eq!(
        vk(&PETER_VKEY.replace("c74f20a3", "c74f20a")),
        E::MalformedVerifierKey
    );
    assert_eq!(vk(&PETER_VKEY.replace("W", "")), E::MalformedVerifierKey);
    assert_eq!(vk(&format!("{PETER_VKEY}AAAA")), E::MalformedVerifierKey);
    assert_eq!(
        vk(&PETER_VKEY.replace("Peter", "Pe ter")),
        E::MalformedKeyName
    );
    assert_eq!(
        vk(&PETER_VKEY.replace("PeterNeumann", "")),
        E::MalformedKeyName
    );
    assert_eq!(
        vk(&PETER_VKEY.replace("c74f20a3", "c74f20a4")),
        E::KeyIdMismatch {
            encoded: 0xc74f20a4,
            computed: 0xc74f20a3
        }
    );
    assert_eq!(
        vk(&PETER_VKEY.replace("+ARpc", "+Apc")),
        E::MalformedVerifierKey
    );
    let pk = STANDARD.decode(&PETER_VKEY[22..]).expect("b64");
    let mut typed = pk.clone();
    typed[0] = 0x02;
    let ecdsa = format!("PeterNeumann+c74f20a3+{}", STANDARD.encode(&typed));
    assert_eq!(vk(&ecdsa), E::UnsupportedKeyType(0x02));
    // The identity point is a small-order (weak) key.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        VerifierKey::new("weak", KeyType::Ed25519, identity),
        Err(E::InvalidPublicKey)
    );
    // y = 2 is not on the curve.
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    assert_eq!(
        VerifierKey::new("x", KeyType::Ed25519, off_curve),
        Err(E::InvalidPublicKey)
    );
    assert_eq!(
        VerifierKey::new("a+b", KeyType::Ed25519, [0; 32]),
        Err(E::MalformedKeyName)
    );

    let sk = |s: &str| SignerKey::parse(s).expect_err(s);
    assert_eq!(sk(PETER_VKEY), E::MalformedSignerKey);
    assert_eq!(
        sk(&PETER_SKEY.replace("PRIVATE+KEY+", "PRIVATE+")),
        E::MalformedSignerKey
    );
    assert_eq!(
        sk(&PETER_SKEY.replace("c74f20a3", "00000000")),
        E::KeyIdMismatch {
            encoded: 0,
            computed: 0xc74f20a3
        }
    );
    assert_eq!(sk(&format!("{PETER_SKEY}=")), E::MalformedSignerKey);
    assert_eq!(
        SignerKey::from_seed("", KeyType::Ed25519, [0; 32]).map(|_| ()),
        Err(E::MalformedKeyName)
    );
    let long = format!("{}+00000000+{}", "n".repeat(2000), &PETER_VKEY[22..]);
    assert_eq!(vk(&long), E::MalformedVerifierKey);
}

#[test]
fn verification_failures() {
    use CheckpointError as E;
    let peter = VerifierKey::parse(PETER_VKEY).expect("vkey");
    let signer = SignerKey::parse(PETER_SKEY).expect("skey");
    let mut n = Note::new("hello\n").expect("note");
    let sig = n.sign(&signer).expect("sign");
    let bad = E::BadSignature {
        name: "PeterNeumann".into(),
        key_id: 0xc74f20a3,
    };

    // Wrong length from a known key.
    let mut short = Note::new("hello\n").expect("note");
    let mut truncated = sig.clone();
    truncated.signature.pop();
    short.push_signature(truncated).expect("push");
    assert_eq!(short.verify(std::slice::from_ref(&peter)), Err(bad.clone()));

    // Malleated S (S + L) fails strict verification.
    let mut malleable = sig.clone();
    let l: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for (i, limb) in l.iter().enumerate() {
        let s = u16::from(malleable.signature[32 + i]) + u16::from(*limb) + carry;
        malleable.signature[32 + i] = s.to_le_bytes()[0];
        carry = s >> 8;
    }
    let mut mal = Note::new("hello\n").expect("note");
    mal.push_signature(malleable).expect("push");
    assert_eq!(mal.verify(std::slice::from_ref(&peter)), Err(bad.clone()));

    // A good signature does not excuse a bad one from another known key.
    let enoch =
        VerifierKey::parse("EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop")
            .expect("vkey");
    let mut mixed = n.clone();
    mixed
        .push_signature(NoteSignature {
            name: "EnochRoot".into(),
            key_id: 0xaf0cfe78,
            signature: vec![0; 64],
        })
        .expect("push");
    assert_eq!(
        mixed.verify(&[peter.clone(), enoch.clone()]),
        Err(E::BadSignature {
            name: "EnochRoot".into(),
            key_id: 0xaf0cfe78
        })
    );
    assert!(
        mixed.verify(std::slice::from_ref(&peter)).is_ok(),
        "unknown bad line is ignored"
    );

    // Same name, other id; same id, other name: both unknown.
    let renamed = NoteSignature {
        name: "Peter".into(),
        ..sig.clone()
    };
    let reid = NoteSignature {
        key_id: 0xc74f20a4,
        ..sig.clone()
    };
    let mut unknown = Note::new("hello\n").expect("note");
    unknown.push_signature(renamed).expect("push");
    unknown.push_signature(reid).expect("push");
    assert_eq!(
        unknown.verify(std::slice::from_ref(&peter)),
        Err(E::UnknownKey)
    );

    // Two different known keys with the same name and id.
    let twin = VerifierKey::new("PeterNeumann", KeyType::Ed25519, enoch.public_key())
        .expect("key")
        .with_key_id(0xc74f20a3);
    assert_eq!(
        n.verify(&[peter.clone(), twin]),
        Err(E::AmbiguousKey {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );

    // Key types do not mix.
    let witness = SignerKey::from_seed("w", KeyType::Cosignature, [9; 32]).expect("key");
    assert_eq!(
        n.sign(&witness),
        Err(E::WrongKeyType {
            expected: KeyType::Ed25519,
            found: KeyType::Cosignature
        })
    );
    assert_eq!(
        n.cosign(&signer, 1),
        Err(E::WrongKeyType {
            expected: KeyType::Cosignature,
            found: KeyType::Ed25519
        })
    );

    // Cosignatures: timestamp bound, tampering, time line is signed.
    assert_eq!(
        n.cosign(&witness, 1 << 63),
        Err(E::TimestampOutOfRange(1 << 63))
    );
    let mut cosigned = Note::new("hello\n").expect("note");
    let mut line = cosigned.cosign(&witness, 1 << 62).expect("cosign");
    let w = witness.verifier();
    assert_eq!(
        cosigned.verify(std::slice::from_ref(&w)).expect("ok")[0].timestamp,
        Some(1 << 62)
    );
    line.signature[0] = 0x80;
    let mut over = Note::new("hello\n").expect("note");
    over.push_signature(line.clone()).expect("push");
    assert_eq!(
        over.verify(std::slice::from_ref(&w)),
        Err(E::TimestampOutOfRange(0x8000_0000_0000_0000))
    );
    line.signature[0] = 0;
    line.signature[7] ^= 1;
    let mut shifted = Note::new("hello\n").expect("note");
    shifted.push_signature(line).expect("push");
    assert_eq!(
        shifted.verify(std::slice::from_ref(&w)),
        Err(E::BadSignature {
            name: "w".into(),
            key_id: w.key_id()
        })
    );
}

#[test]
fn malformed_add_checkpoint_requests() {
    use CheckpointError as E;
    let v = vectors();
    let body = v
        .iter()
        .find(|v| v.id == "tlog-witness-add-checkpoint-request")
        .and_then(|v| v.request_body.clone())
        .expect("vector");
    let req = |s: &str| AddCheckpointRequest::parse(s.as_bytes()).expect_err(s);
    assert_eq!(req(&body.replace("old 6", "old 06")), E::MalformedOldSize);
    assert_eq!(req(&body.replace("old 6", "old  6")), E::MalformedOldSize);
    assert_eq!(req(&body.replace("old 6", "6")), E::MalformedOldSize);
    assert_eq!(
        req(&body.replace("old 6", "old 9")),
        E::OldSizeTooLarge { old: 9, size: 8 }
    );
    assert_eq!(
        req(&body.replace("yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "yoVO")),
        E::MalformedConsistencyProof { line: 2 }
    );
    let (head, tail) = body.split_once("\n\n").expect("blank line");
    let hash_line = format!("{}\n", STANDARD.encode([0u8; 32]));
    let many = format!("old 6\n{}\n{tail}", hash_line.repeat(64));
    assert_eq!(req(&many), E::MalformedConsistencyProof { line: 64 });
    let max = format!("old 6\n{}\n{tail}", hash_line.repeat(63));
    assert_eq!(
        AddCheckpointRequest::parse(max.as_bytes()).map(|r| r.proof.len()),
        Ok(63)
    );
    assert_eq!(req(head), E::MalformedConsistencyProof { line: 3 });
    assert_eq!(
        AddCheckpointRequest::parse(format!("old 0\n\n{tail}").as_bytes()).map(|r| r.old_size),
        Ok(0)
    );
}

#[test]
fn checkpoint_size_limit() {
    let mut cp = nansen_checkpoint("governance");
    cp.origin = "o".repeat(MAX_NOTE_BYTES);
    assert!(matches!(
        cp.to_body(),
        Err(CheckpointError::TooLarge { .. })
    ));
    let body = format!("{}\n", "o".repeat(MAX_NOTE_BYTES));
    assert!(matches!(
        Checkpoint::parse_body(&body),
        Err(CheckpointError::TooLarge { .. })
    ));
}

/// Seeds 0x00..=0x1f (log) and 0x20..=0x3f (witness) of the worked example.
fn example_seed(first: u8) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = first.wrapping_add(i as u8);
    }
    seed
}

/// The worked example of `specs/checkpoints.md`; keep both in step.
#[test]
fn worked_example_in_spec() {
    let origin = format!("nansen/{NETWORK_HEX}/camp-azraq-01");
    let log = SignerKey::from_seed(&origin, KeyType::Ed25519, example_seed(0)).expect("log");
    let witness = SignerKey::from_seed(
        "nansen-witness/amman-01",
        KeyType::Cosignature,
        example_seed(0x20),
    )
    .expect("witness");
    let root = STANDARD
        .decode("duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=")
        .expect("b64");
    let cp = Checkpoint {
        origin: origin.clone(),
        size: 6,
        root: root.try_into().expect("32 bytes"),
        extensions: vec![],
    };
    let mut signed = SignedCheckpoint::new(cp).expect("checkpoint");
    let sig = signed.sign(&log).expect("sign");
    let cosig = signed.cosign(&witness, 1_767_225_600).expect("cosign");
    let text = String::from_utf8(signed.to_bytes()).expect("utf8");
    assert_eq!(
        log.verifier().to_string(),
        format!("{origin}+3ef3dc5c+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4")
    );
    assert_eq!(
        log.to_encoded(),
        format!("PRIVATE+KEY+{origin}+3ef3dc5c+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f")
    );
    assert_eq!(
        witness.verifier().to_string(),
        "nansen-witness/amman-01+95fb5ec0+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X"
    );
    assert_eq!(
        (sig.key_id, hex(&sig.signature).as_str()),
        (0x3ef3dc5c, "67867973328fb22d6cf6f50511877830604ef7636bfda531d93ab950779557dc533f0284db2b8461e9ca238e2edbdd8d80a4a2104d8ff6790ef264f320456f05")
    );
    assert_eq!(hex(&cosig.signature[..8]), "000000006955b900");
    let expected = format!(
        "{origin}\n6\nduZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=\n\n\
         \u{2014} {origin} PvPcXGeGeXMyj7ItbPb1BRGHeDBgTvdja/2lMdk6uVB3lVfcUz8ChNsrhGHpyiOOLtvdjYCkohBNj/Z5DvJk8yBFbwU=\n\
         \u{2014} nansen-witness/amman-01 lftewAAAAABpVbkASEbDLJMGg8HksxWT2YXwKR8aAaIsPOM9fnRm9bkrBVQJ6wOBEYdtsTMTq4G5GHDwWKevc9CoutUCxzHcE/LXAg==\n"
    );
    assert_eq!(text, expected);
    let verified = signed
        .verify_with(&[log.verifier(), witness.verifier()])
        .expect("verifies");
    assert_eq!(verified.len(), 2);
}
