//! Fuzz-style tests (proptest) of every wallet decoder that reads outside data: did:key
//! strings, SD-JWT presentations and presentation envelopes, Data Integrity credentials and
//! presentations, credential bundles, QR text (NS1 parts, base45, DEFLATE), wallet and backup
//! files, typed recovery phrases, and VC API requests (the handler and the HTTP server).
//!
//! Inputs are random, or valid examples produced by the library and then mutated. Every
//! decoder must return (never panic, never overflow its stack) either a named error or, for a
//! mutated input it still accepts, exactly what the original meant: a tampered claim never
//! verifies. Deeply nested input (100,000 levels) gets a named error from each decoder.

use std::io::Read;
use std::time::{Duration, Instant};

use nansen_wallet::cli::{check_bundle, CliError};
use nansen_wallet::ledger_check::{envelope_text, open_presentation, ProofJson};
use nansen_wallet::qr::{self, QrError};
use nansen_wallet::recovery::{self, RecoveryError};

use nansen_wallet::wallet::{
    self, open_backup, open_bytes, seal_backup, KdfParams, Wallet, WalletData, WalletError,
};
use nansen_wallet::{did, vc_api, CredentialError, EventKind, KeyBindingRequest};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};

const REGISTRAR_SEED: [u8; 32] = [0x11; 32];
const HOLDER_SEED: [u8; 32] = [0x22; 32];
const NOW: i64 = 1_764_410_400; // 2025-11-29T10:00:00Z
const FAST: KdfParams = KdfParams {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A runner with a fixed seed, so that CI runs the same cases every time (a failure is
/// reproducible, and a landing does not depend on luck); `NANSEN_FUZZ_RANDOM=1` draws a fresh
/// seed for exploring (what it finds becomes a fixed regression test).
fn runner(config: Config) -> TestRunner {
    if std::env::var_os("NANSEN_FUZZ_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        let rng = TestRng::deterministic_rng(config.rng_algorithm);
        TestRunner::new_with_rng(config, rng)
    }
}

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    if let Err(e) = runner(config(cases)).run(&strategy, test) {
        panic!("{e}");
    }
}

fn issue_birth() -> nansen_wallet::IssuedCredential {
    let holder = did::did_key_from_seed(&HOLDER_SEED);
    nansen_wallet::issue_with(
        EventKind::Birth,
        &json!({
            "givenName": "Amal",
            "familyName": "Haddad",
            "birthDate": "2024-02-29",
            "birthPlace": "Zaatari camp, Mafraq",
            "sex": "female",
            "registrationNumber": "JO-ZA-2024-000123",
            "registrationDate": "2024-03-04"
        }),
        &holder,
        &REGISTRAR_SEED,
        NOW,
        [0x5a; 16],
        [0xa5; 16],
    )
    .expect("issue")
}

fn request() -> KeyBindingRequest<'static> {
    KeyBindingRequest {
        nonce: "n-1",
        audience: "did:example:verifier",
        now: NOW + 60,
        max_age_secs: 300,
    }
}

fn sd_presentation(issued: &nansen_wallet::IssuedCredential) -> String {
    nansen_wallet::present_sd_jwt(
        &issued.sd_jwt,
        &["givenName", "birthDate", "birthPlace"],
        &HOLDER_SEED,
        "n-1",
        "did:example:verifier",
        NOW + 30,
    )
    .expect("present")
}

/// `depth` nested JSON arrays around `0`.
fn nested_json(depth: usize) -> String {
    let mut s = "[".repeat(depth);
    s.push('0');
    s.push_str(&"]".repeat(depth));
    s
}

/// `depth` nested JSON objects `{"a":...}` around `0`.
fn nested_json_objects(depth: usize) -> String {
    let mut s = "{\"a\":".repeat(depth);
    s.push('0');
    s.push_str(&"}".repeat(depth));
    s
}

// --- mutations --------------------------------------------------------------------------------

/// A mutation of a string or byte string.
#[derive(Debug, Clone)]
enum Mutation {
    /// Flip bits at these positions (mod the length).
    Flip(Vec<(usize, u8)>),
    /// Keep only the first `n` bytes (mod the length).
    Truncate(usize),
    /// Append bytes.
    Extend(Vec<u8>),
    /// Overwrite bytes at a position.
    Splice(usize, Vec<u8>),
    /// Delete a range.
    Delete(usize, usize),
    /// Repeat a range in place.
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        prop::collection::vec((any::<usize>(), 0u8..8), 1..6).prop_map(Mutation::Flip),
        any::<usize>().prop_map(Mutation::Truncate),
        prop::collection::vec(any::<u8>(), 1..40).prop_map(Mutation::Extend),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..12))
            .prop_map(|(at, b)| Mutation::Splice(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Repeat(at, n)),
    ]
}

/// A mutation that keeps text within `alphabet` (so it still looks like the format).
#[derive(Debug, Clone)]
enum TextMutation {
    Bytes(Mutation),
    /// Replace the character at a position with one from the alphabet.
    Substitute(Vec<(usize, usize)>),
    /// Insert characters from the alphabet.
    Insert(usize, Vec<usize>),
}

fn text_mutation() -> impl Strategy<Value = TextMutation> {
    prop_oneof![
        mutation().prop_map(TextMutation::Bytes),
        prop::collection::vec((any::<usize>(), any::<usize>()), 1..4)
            .prop_map(TextMutation::Substitute),
        (any::<usize>(), prop::collection::vec(any::<usize>(), 1..6))
            .prop_map(|(at, c)| TextMutation::Insert(at, c)),
    ]
}

fn mutate(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        if let Mutation::Extend(tail) | Mutation::Splice(_, tail) = m {
            out.extend_from_slice(tail);
        }
        return out;
    }
    let len = out.len();
    match m {
        Mutation::Flip(flips) => {
            for (at, bit) in flips {
                out[at % len] ^= 1 << bit;
            }
        }
        Mutation::Truncate(n) => out.truncate(n % len),
        Mutation::Extend(tail) => out.extend_from_slice(tail),
        Mutation::Splice(at, with) => {
            let i = at % len;
            let end = (i + with.len()).min(len);
            out.splice(i..end, with.iter().copied());
        }
        Mutation::Delete(at, n) => {
            let i = at % len;
            out.drain(i..(i + n).min(len));
        }
        Mutation::Repeat(at, n) => {
            let i = at % len;
            let piece = out[i..(i + n).min(len)].to_vec();
            out.splice(i..i, piece);
        }
    }
    out
}

fn mutate_text(text: &str, alphabet: &[u8], m: &TextMutation) -> String {
    match m {
        TextMutation::Bytes(m) => String::from_utf8_lossy(&mutate(text.as_bytes(), m)).into_owned(),
        TextMutation::Substitute(subs) => {
            let mut bytes = text.as_bytes().to_vec();
            if bytes.is_empty() {
                return String::new();
            }
            let len = bytes.len();
            for (at, c) in subs {
                bytes[at % len] = alphabet[c % alphabet.len()];
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        TextMutation::Insert(at, chars) => {
            let mut bytes = text.as_bytes().to_vec();
            let i = if bytes.is_empty() {
                0
            } else {
                at % bytes.len()
            };
            let ins: Vec<u8> = chars.iter().map(|c| alphabet[c % alphabet.len()]).collect();
            bytes.splice(i..i, ins);
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// A structural change at one node of a JSON document (nodes counted in preorder).
#[derive(Debug, Clone)]
enum JsonMutation {
    /// Append text to a string (or turn the node into this string).
    Edit(usize, String),
    /// Replace the node with another value.
    Replace(usize, Value),
    /// Remove an object member or array element.
    Remove(usize),
    /// Add a member to an object (or an element to an array).
    Add(usize, String, Value),
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!(
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        )),
    ]
}

fn json_mutation() -> impl Strategy<Value = JsonMutation> {
    prop_oneof![
        (any::<usize>(), ".{1,4}").prop_map(|(i, s)| JsonMutation::Edit(i, s)),
        (any::<usize>(), json_leaf()).prop_map(|(i, v)| JsonMutation::Replace(i, v)),
        any::<usize>().prop_map(JsonMutation::Remove),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "id",
                "type",
                "@context",
                "@id",
                "@type",
                "name",
                "proof",
                "validUntil",
                "givenName",
                "extra",
                "_sd",
            ]),
            json_leaf()
        )
            .prop_map(|(i, k, v)| JsonMutation::Add(i, k.to_owned(), v)),
    ]
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Applies `m` at preorder node `target`; `seen` counts nodes visited.
fn apply_at(v: &mut Value, target: usize, seen: &mut usize, m: &JsonMutation) -> bool {
    if *seen == target {
        match m {
            JsonMutation::Edit(_, s) => match v {
                Value::String(t) => t.push_str(s),
                other => *other = Value::from(s.clone()),
            },
            JsonMutation::Replace(_, new) => *v = new.clone(),
            JsonMutation::Remove(_) => match v {
                Value::Object(o) => {
                    let first = o.keys().next().cloned();
                    if let Some(k) = first {
                        o.remove(&k);
                    }
                }
                Value::Array(a) => {
                    if !a.is_empty() {
                        a.remove(0);
                    }
                }
                other => *other = Value::Null,
            },
            JsonMutation::Add(_, k, new) => match v {
                Value::Object(o) => {
                    o.insert(k.clone(), new.clone());
                }
                Value::Array(a) => a.push(new.clone()),
                other => *other = json!([other.clone(), new.clone()]),
            },
        }
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| apply_at(x, target, seen, m)),
        Value::Object(o) => o.values_mut().any(|x| apply_at(x, target, seen, m)),
        _ => false,
    }
}

fn mutate_json(v: &Value, m: &JsonMutation) -> Value {
    let (JsonMutation::Edit(i, _)
    | JsonMutation::Replace(i, _)
    | JsonMutation::Remove(i)
    | JsonMutation::Add(i, _, _)) = m;
    let mut out = v.clone();
    let target = i % count_nodes(v);
    apply_at(&mut out, target, &mut 0, m);
    out
}

// --- did:key ----------------------------------------------------------------------------------

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

#[test]
fn did_key_strings_decode_to_their_own_key_or_a_named_error() {
    let original = did::did_key_from_seed(&HOLDER_SEED);
    let key = did::public_key_from_seed(&HOLDER_SEED);
    let check = |text: &str| -> Result<(), TestCaseError> {
        match did::public_key_from_did_key(text) {
            // Accepted: the text is exactly the canonical did:key of what it decoded to.
            Ok(k) => {
                prop_assert_eq!(did::did_key_from_public_key(&k), did::did_of(text));
                if did::did_of(text) == original {
                    prop_assert_eq!(k, key);
                }
            }
            Err(CredentialError::InvalidDidKey(_) | CredentialError::InvalidPublicKey) => {}
            Err(other) => prop_assert!(false, "{}: unexpected {:?}", text, other),
        }
        match did::verification_method(text) {
            Ok(vm) => prop_assert!(vm.starts_with(did::did_of(text))),
            Err(CredentialError::InvalidDidKey(_) | CredentialError::InvalidPublicKey) => {}
            Err(other) => prop_assert!(false, "{}: unexpected {:?}", text, other),
        }
        let multibase = text.strip_prefix("did:key:").unwrap_or(text);
        match did::public_key_from_multibase(multibase) {
            Ok(k) => prop_assert_eq!(did::public_key_multibase(&k), multibase),
            Err(CredentialError::InvalidDidKey(_) | CredentialError::InvalidPublicKey) => {}
            Err(other) => prop_assert!(false, "{}: unexpected {:?}", text, other),
        }
        Ok(())
    };
    let with_fragment = format!("{original}#{}", &original["did:key:".len()..]);
    run(
        600,
        (
            prop_oneof![
                Just(original.clone()),
                Just(with_fragment),
                ".{0,80}".prop_map(|s| s),
                "did:key:z[1-9A-HJ-NP-Za-km-z]{0,60}".prop_map(|s| s),
            ],
            text_mutation(),
        ),
        |(text, m)| {
            check(&text)?;
            check(&mutate_text(&text, BASE58, &m))
        },
    );
    // A 1 MB multibase: a named error, quickly (base58 decoding is quadratic; before the
    // length bound this took minutes). Also where a verifier meets it: the SD-JWT `iss`.
    let started = Instant::now();
    let huge = format!("did:key:z{}", "2".repeat(1 << 20));
    assert!(matches!(
        did::public_key_from_did_key(&huge),
        Err(CredentialError::InvalidDidKey(_))
    ));
    assert!(did::public_key_from_multibase(&huge["did:key:".len()..]).is_err());
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    };
    let jwt = format!(
        "{}.{}.AAAA~",
        b64(r#"{"alg":"EdDSA","typ":"dc+sd-jwt"}"#),
        b64(&format!(r#"{{"iss":"{huge}"}}"#))
    );
    assert!(matches!(
        nansen_wallet::verify_sd_jwt_presentation(&jwt, &request()),
        Err(CredentialError::InvalidDidKey(_))
    ));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

// --- SD-JWT presentations and envelopes -------------------------------------------------------

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

#[test]
fn sd_jwt_presentations_verify_only_unchanged() {
    let issued = issue_birth();
    let presentation = sd_presentation(&issued);
    let original = nansen_wallet::verify_sd_jwt_presentation(&presentation, &request())
        .expect("the untouched presentation verifies");
    let parts: Vec<String> = presentation.split('~').map(str::to_owned).collect();
    run(
        160,
        prop_oneof![
            text_mutation().prop_map(Ok),
            // Reorder, drop or repeat `~`-separated parts.
            prop::collection::vec(0usize..16, 0..10).prop_map(Err),
        ],
        |m| {
            let text = match &m {
                Ok(m) => mutate_text(&presentation, B64URL, m),
                Err(order) => order
                    .iter()
                    .map(|i| parts[i % parts.len()].as_str())
                    .collect::<Vec<_>>()
                    .join("~"),
            };
            match nansen_wallet::verify_sd_jwt_presentation(&text, &request()) {
                Ok(disclosed) => prop_assert_eq!(&disclosed, &original, "accepted {}", text),
                Err(_named) => {}
            }
            Ok(())
        },
    );

    // Random JWT-shaped text, with JSON of any nesting in the issuer payload and disclosures.
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    };
    let header = b64(r#"{"alg":"EdDSA","typ":"dc+sd-jwt"}"#);
    let iss = did::did_key_from_seed(&REGISTRAR_SEED);
    for depth in [127, 128, 129, 1000, 100_000] {
        let deep = nested_json(depth);
        let deep_objects = nested_json_objects(depth);
        let payload = b64(&format!(r#"{{"iss":"{iss}","x":{deep}}}"#));
        for text in [
            format!("{header}.{}.AAAA~", b64(&deep)),
            format!("{header}.{}.AAAA~", b64(&deep_objects)),
            format!("{header}.{payload}.AAAA~"),
            format!("{}~{}~", parts[0], b64(&deep)),
            format!(
                "{}~{}~{}",
                parts[0],
                b64(&format!(r#"["salt","givenName",{deep}]"#)),
                parts[parts.len() - 1]
            ),
        ] {
            let e = nansen_wallet::verify_sd_jwt_presentation(&text, &request())
                .expect_err("deep JSON is refused");
            let _named: CredentialError = e;
        }
    }
    run(300, ("[A-Za-z0-9_.~-]{0,300}", ".{0,100}"), |(a, b)| {
        let _ = nansen_wallet::verify_sd_jwt_presentation(&a, &request());
        let _ = nansen_wallet::verify_sd_jwt_presentation(&b, &request());
        let _ = nansen_wallet::sd_jwt::verify_issuer_part(&a, &[0; 32], None, NOW);
        Ok(())
    });
}

#[test]
fn presentation_envelopes_open_or_fail_by_name() {
    let issued = issue_birth();
    let presentation = sd_presentation(&issued);
    let proof = ProofJson {
        network_id: "00".repeat(32),
        entry: "AAEC".into(),
        tree_size: 3,
        inclusion: vec!["A".repeat(43) + "="],
        checkpoint: "nansen\n3\nroot\n".into(),
    };
    let envelope = envelope_text(&presentation, Some(proof.clone()));
    assert_eq!(
        open_presentation(&envelope).expect("opens"),
        (presentation.clone(), Some(proof.clone()))
    );
    let value: Value = serde_json::from_str(&envelope).expect("JSON");
    run(
        300,
        prop_oneof![json_mutation().prop_map(Ok), text_mutation().prop_map(Err)],
        |m| {
            let text = match &m {
                Ok(m) => mutate_json(&value, m).to_string(),
                Err(m) => mutate_text(&envelope, b"{}[]\":,0123456789abcdef", m),
            };
            match open_presentation(&text) {
                Ok((sd, p)) => {
                    // Whatever opens is either the same envelope or a bare SD-JWT text (one
                    // that does not start with `{`), which is then verified as such.
                    if text.trim_start().starts_with('{') {
                        if let Some(p) = &p {
                            let _ = p.to_portable();
                        }
                        let same = sd == presentation && p.as_ref() == Some(&proof);
                        if !same {
                            // A changed sd_jwt must not verify as the original.
                            if let Ok(d) =
                                nansen_wallet::verify_sd_jwt_presentation(&sd, &request())
                            {
                                prop_assert_eq!(
                                    sd_presentation_claims(&d),
                                    sd_presentation_claims(
                                        &nansen_wallet::verify_sd_jwt_presentation(
                                            &presentation,
                                            &request()
                                        )
                                        .expect("verifies")
                                    )
                                );
                            }
                        }
                    }
                }
                Err(e) => prop_assert!(
                    matches!(e, nansen_wallet::CredentialError::MalformedEnvelope(_)),
                    "{}",
                    e
                ),
            }
            Ok(())
        },
    );
    for depth in [128, 129, 100_000] {
        for text in [
            nested_json_objects(depth),
            format!(
                r#"{{"format":"nansen-presentation/1","sd_jwt":"x","ledger_proof":{}}}"#,
                nested_json(depth)
            ),
        ] {
            let e = open_presentation(&text).expect_err("deep JSON is refused");
            assert!(
                matches!(e, nansen_wallet::CredentialError::MalformedEnvelope(_)),
                "{e}"
            );
        }
    }
}

fn sd_presentation_claims(d: &nansen_wallet::DisclosedCredential) -> (Value, [u8; 16], String) {
    (Value::Object(d.claims.clone()), d.id, d.issuer_did.clone())
}

// --- Data Integrity credentials, presentations and bundles -----------------------------------

#[test]
fn tampered_data_integrity_credentials_never_verify() {
    let issued = issue_birth();
    let vc = issued.data_integrity.clone();
    let original = nansen_wallet::verify_data_integrity_credential(&vc, NOW).expect("verifies");
    let jcs = nansen_wallet::data_integrity::sign_jcs(
        &{
            let mut u = vc.clone();
            u.as_object_mut().expect("object").remove("proof");
            u
        },
        &REGISTRAR_SEED,
        NOW,
    )
    .expect("jcs");
    let jcs_original =
        nansen_wallet::verify_data_integrity_credential(&jcs, NOW).expect("jcs verifies");
    assert_eq!(jcs_original.contents, original.contents);
    run(200, (any::<bool>(), json_mutation()), |(use_jcs, m)| {
        let doc = if use_jcs { &jcs } else { &vc };
        let mutated = mutate_json(doc, &m);
        match nansen_wallet::verify_data_integrity_credential(&mutated, NOW) {
            Ok(v) => {
                prop_assert_eq!(&v.contents, &original.contents, "{:?}", m);
            }
            Err(_named) => {}
        }
        Ok(())
    });
    // A megabyte of base58 where the signature goes: refused by name, quickly (base58 decoding
    // is quadratic; before the bound, this took minutes).
    for doc in [&vc, &jcs] {
        let mut long = doc.clone();
        long["proof"]["proofValue"] = Value::from(format!("z{}", "2".repeat(1 << 20)));
        let started = Instant::now();
        let e = nansen_wallet::verify_data_integrity_credential(&long, NOW).expect_err("long");
        assert!(matches!(e, CredentialError::MalformedProofValue), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // Text mutations that still parse as JSON.
    let text = vc.to_string();
    run(100, text_mutation(), |m| {
        let t = mutate_text(&text, b"{}[]\":,0123456789abcdefABCDEF", &m);
        if let Ok(mutated) = serde_json::from_str::<Value>(&t) {
            if let Ok(v) = nansen_wallet::verify_data_integrity_credential(&mutated, NOW) {
                prop_assert_eq!(&v.contents, &original.contents);
            }
        }
        Ok(())
    });
}

#[test]
fn data_integrity_presentations_and_bundles_fail_by_name() {
    let issued = issue_birth();
    let vp = nansen_wallet::present_data_integrity(
        &issued.data_integrity,
        &HOLDER_SEED,
        "c-42",
        "school.example",
        NOW + 10,
    )
    .expect("present");
    let original =
        nansen_wallet::verify_data_integrity_presentation(&vp, "c-42", "school.example", NOW + 20)
            .expect("verifies");
    run(100, json_mutation(), |m| {
        let mutated = mutate_json(&vp, &m);
        if let Ok(v) = nansen_wallet::verify_data_integrity_presentation(
            &mutated,
            "c-42",
            "school.example",
            NOW + 20,
        ) {
            prop_assert_eq!(&v.credential.contents, &original.credential.contents);
            prop_assert_eq!(&v.holder_did, &original.holder_did);
        }
        Ok(())
    });

    let bundle = json!({"data_integrity": issued.data_integrity, "sd_jwt": issued.sd_jwt});
    let stored = check_bundle(&bundle, &HOLDER_SEED, NOW).expect("bundle");
    let other = nansen_wallet::issue_with(
        EventKind::Birth,
        &json!({"givenName": "Rami", "familyName": "Haddad", "birthDate": "2023-01-01",
                "birthPlace": "Azraq camp", "sex": "male",
                "registrationNumber": "JO-AZ-2023-000001", "registrationDate": "2023-01-05"}),
        &did::did_key_from_seed(&HOLDER_SEED),
        &REGISTRAR_SEED,
        NOW,
        [0x5b; 16],
        [0xa6; 16],
    )
    .expect("issue");
    run(
        100,
        prop_oneof![
            json_mutation().prop_map(|m| (m, false)),
            json_mutation().prop_map(|m| (m, true)),
        ],
        |(m, swap)| {
            let mut b = bundle.clone();
            if swap {
                // The other credential's SD-JWT with this one's Data Integrity form.
                b["sd_jwt"] = Value::from(other.sd_jwt.clone());
            }
            let b = mutate_json(&b, &m);
            match check_bundle(&b, &HOLDER_SEED, NOW) {
                Ok(s) => {
                    prop_assert!(!swap || b["sd_jwt"] != other.sd_jwt);
                    prop_assert_eq!(&s.id, &stored.id);
                    prop_assert_eq!(&s.kind, &stored.kind);
                    prop_assert_eq!(&s.issuer, &stored.issuer);
                }
                Err(CliError::Rejected { .. } | CliError::Credential(_)) => {}
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
            Ok(())
        },
    );
    // Deep JSON in every decoder that takes a parsed document: the parser refuses it first.
    for depth in [128, 129, 100_000] {
        assert!(serde_json::from_str::<Value>(&nested_json(depth)).is_err());
    }
    let mut deep = json!(0);
    for _ in 0..120 {
        deep = json!([deep]);
    }
    let mut vc = issued.data_integrity.clone();
    vc["credentialSubject"]["givenName"] = deep.clone();
    assert!(nansen_wallet::verify_data_integrity_credential(&vc, NOW).is_err());
    let mut b = bundle.clone();
    b["data_integrity"]["credentialSubject"] = deep;
    assert!(check_bundle(&b, &HOLDER_SEED, NOW).is_err());
}

// --- QR text ----------------------------------------------------------------------------------

/// The text-decoding error of `decode_parts` (named `BadParts`, being renamed `BadQrText`:
/// matched by its message so this test holds across the rename).
fn bad_qr_text(e: &QrError) -> bool {
    e.to_string().starts_with("bad QR text: ")
}

/// The inflate limit's refusal.
fn too_large(e: &QrError) -> bool {
    bad_qr_text(e) && e.to_string().contains("too large")
}

const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

#[test]
fn qr_text_decodes_to_the_original_or_fails_by_name() {
    let issued = issue_birth();
    let presentation = sd_presentation(&issued);
    let envelope = envelope_text(&presentation, None);
    // Large enough for several parts.
    let long = envelope;
    let original =
        nansen_wallet::verify_sd_jwt_presentation(&presentation, &request()).expect("verifies");
    let mut parts = qr::encode_parts(&long);
    if parts.len() < 2 {
        // Split the one part in two by hand so reassembly is exercised.
        let body = parts[0]["NS1:1/1:".len()..].to_owned();
        let (a, b) = body.split_at(body.len() / 2);
        parts = vec![format!("NS1:1/2:{a}"), format!("NS1:2/2:{b}")];
    }
    assert_eq!(qr::decode_parts(&parts.join("\n")).expect("decodes"), long);
    let joined = parts.join("\n");
    run(
        400,
        prop_oneof![
            text_mutation().prop_map(Ok),
            prop::collection::vec(0usize..8, 0..6).prop_map(Err),
        ],
        |m| {
            let text = match &m {
                Ok(m) => mutate_text(&joined, BASE45, m),
                Err(order) => order
                    .iter()
                    .map(|i| parts[i % parts.len()].as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            match qr::decode_parts(&text) {
                Ok(decoded) if decoded == long => {}
                // DEFLATE has no checksum: a changed part may inflate to other text. Then what
                // it carries must not verify as the original presentation.
                Ok(decoded) => {
                    if let Ok((sd, _)) = open_presentation(&decoded) {
                        if let Ok(d) = nansen_wallet::verify_sd_jwt_presentation(&sd, &request()) {
                            prop_assert_eq!(&d, &original, "changed QR text verified: {}", decoded);
                        }
                    }
                }
                Err(e) => prop_assert!(bad_qr_text(&e), "unexpected {:?}", e),
            }
            Ok(())
        },
    );
    run(
        400,
        prop_oneof![
            ".{0,200}".prop_map(|s| s),
            (0usize..70, 0usize..70, "[0-9A-Z $%*+./:-]{0,200}")
                .prop_map(|(i, n, b)| format!("NS1:{i}/{n}:{b}")),
            prop::collection::vec((0usize..5, "[0-9A-Z $%*+./:-]{0,40}"), 1..5).prop_map(|v| {
                let n = v.len();
                v.iter()
                    .map(|(i, b)| format!("NS1:{i}/{n}:{b}"))
                    .collect::<Vec<_>>()
                    .join("\r\n")
            }),
        ],
        |text| {
            if let Err(e) = qr::decode_parts(&text) {
                prop_assert!(bad_qr_text(&e), "unexpected {:?}", e);
            }
            Ok(())
        },
    );
    // Counts and indexes far out of range, overflowing numbers, no parts.
    for text in [
        "",
        "\n\n",
        "NS1:0/1:AA",
        "NS1:2/1:AA",
        "NS1:1/0:AA",
        "NS1:1/65:AA",
        "NS1:1/18446744073709551616:AA",
        "NS1:18446744073709551615/18446744073709551615:AA",
        "NS1:-1/2:AA",
        "NS1:1/2:AA\nNS1:1/3:BB",
        "NS1:1/1:AA\nNS1:1/1:AA",
        "NS1:1/1:\u{0}\u{7f}\u{fffd}",
    ] {
        let e = qr::decode_parts(text).expect_err(text);
        assert!(bad_qr_text(&e), "{text:?}: {e:?}");
    }
}

/// DEFLATE data that inflates to `chunks` MiB of zeros: one MiB compressed with a full flush
/// (byte-aligned, dictionary reset, so every copy is the same bytes), repeated, then an empty
/// final block.
fn deflate_bomb(chunks: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::best(), false);
    let zeros = vec![0u8; 1 << 20];
    let mut one = Vec::with_capacity(1 << 16);
    c.compress_vec(&zeros, &mut one, FlushCompress::Full)
        .expect("compress");
    assert_eq!(c.total_in(), 1 << 20);
    let mut again = Vec::with_capacity(1 << 16);
    c.compress_vec(&zeros, &mut again, FlushCompress::Full)
        .expect("compress");
    assert_eq!(c.total_in(), 2 << 20);
    let mut end = Vec::with_capacity(64);
    c.compress_vec(&[], &mut end, FlushCompress::Finish)
        .expect("finish");
    let mut out = one;
    for _ in 1..chunks {
        out.extend_from_slice(&again);
    }
    out.extend_from_slice(&end);
    out
}

/// Scanned images (`--qr-image`): random bytes behind the PNG and JPEG magic numbers and
/// mutations of real code images either read (a mutated image may still hold the code) or fail
/// as NotAnImage / NoQrCode / UnreadableQrCode, never a panic.
#[test]
fn qr_images_read_or_fail_by_name() {
    let png = qr::png("NS1:1/1:HELLO", 4).expect("png");
    let texts = qr::read_image(&png).expect("our own PNG reads");
    assert_eq!(texts, vec!["NS1:1/1:HELLO".to_owned()]);
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/qr/holder-did.jpg"
    ))
    .expect("JPEG fixture");
    let named = |r: Result<Vec<String>, QrError>| -> Result<(), TestCaseError> {
        match r {
            Ok(_)
            | Err(QrError::NotAnImage(_))
            | Err(QrError::NoQrCode)
            | Err(QrError::UnreadableQrCode(_)) => Ok(()),
            Err(other) => Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
        }
    };
    run(
        60,
        (
            prop::sample::select(vec![b"\x89PNG\r\n\x1a\n".to_vec(), vec![0xff, 0xd8, 0xff]]),
            prop::collection::vec(any::<u8>(), 0..2000),
        ),
        |(magic, tail)| named(qr::read_image(&[magic, tail].concat())),
    );
    run(80, (any::<bool>(), mutation()), |(use_png, m)| {
        let original = if use_png { &png } else { &jpeg };
        named(qr::read_image(&mutate(original, &m)))
    });
}

#[test]
fn a_qr_deflate_bomb_is_refused_by_name() {
    // 1 GiB of zeros in about 1 MB of QR text; and the largest 64-part payload.
    let bomb = deflate_bomb(1024);
    // It is a real bomb: it inflates past the limit (checked on the first 4 MiB only).
    let mut head = Vec::new();
    flate2::read::DeflateDecoder::new(bomb.as_slice())
        .take(4 << 20)
        .read_to_end(&mut head)
        .expect("inflates");
    assert_eq!(head.len(), 4 << 20);
    let text = base45::encode(&bomb);
    let one_part = format!("NS1:1/1:{text}");
    let started = Instant::now();
    let err = qr::decode_parts(&one_part).expect_err("refused");
    assert!(too_large(&err), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    let small = base45::encode(deflate_bomb(40));
    let chunks: Vec<&str> = small
        .as_bytes()
        .chunks(qr::PART_CHARS)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect();
    assert!(chunks.len() <= 64, "{} parts", chunks.len());
    let n = chunks.len();
    let parts: Vec<String> = chunks
        .iter()
        .enumerate()
        .map(|(i, c)| format!("NS1:{}/{n}:{c}", i + 1))
        .collect();
    let err = qr::decode_parts(&parts.join("\n")).expect_err("refused");
    assert!(too_large(&err), "{err:?}");

    // Exactly at the limit is fine; one byte more is not.
    let at = "a".repeat(qr::MAX_PRESENTATION);
    assert_eq!(
        qr::decode_parts(&qr::encode_parts(&at).join("\n")).expect("at the limit"),
        at
    );
    let over = "a".repeat(qr::MAX_PRESENTATION + 1);
    let err = qr::decode_parts(&qr::encode_parts(&over).join("\n")).expect_err("over");
    assert!(too_large(&err), "{err:?}");
}

// --- wallet and backup files ------------------------------------------------------------------

fn sample_data() -> WalletData {
    let issued = issue_birth();
    let mut data = WalletData::new(&HOLDER_SEED);
    let bundle = json!({"data_integrity": issued.data_integrity, "sd_jwt": issued.sd_jwt});
    data.credentials
        .push(check_bundle(&bundle, &HOLDER_SEED, NOW).expect("bundle"));
    data
}

/// Offsets of the Argon2 memory and iteration fields: flips there can ask for gigabytes and
/// minutes of work (bounded by the reader, 1 GiB and 64 iterations); such flips are tested
/// one by one below with the cost kept small.
const KDF_FIELDS: std::ops::Range<usize> = 9..17;

fn affordable(bytes: &[u8]) -> bool {
    if bytes.len() < 21 {
        return true;
    }
    let at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let (memory, iterations) = (u64::from(at(9)), u64::from(at(13)));
    // Out of the reader's bounds: refused before any work.
    if memory > 4 << 20 || iterations == 0 || iterations > 64 {
        return true;
    }
    memory * iterations <= 64 * 1024
}

fn named_wallet_error(e: &WalletError) -> bool {
    matches!(
        e,
        WalletError::WrongPassphrase
            | WalletError::Corrupted(_)
            | WalletError::UnsupportedVersion(_)
            | WalletError::Kdf(_)
    )
}

/// The automatic backup (keyed by the recovery phrase) read back damaged: always a named
/// error, never a panic and never another holder's or an altered wallet.
#[test]
fn damaged_automatic_backups_fail_by_name() {
    use nansen_wallet::recovery_backup::{self, RecoveryBackupError};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = sample_data();
    let file = recovery_backup::write(dir.path(), &data).expect("write");
    let good = std::fs::read(&file).expect("read");
    assert_eq!(
        recovery_backup::read(&file, &HOLDER_SEED).expect("opens"),
        data
    );
    let damaged = dir.path().join("damaged.nbk");
    run(200, (mutation(), any::<bool>()), |(m, other_holder)| {
        let bytes = mutate(&good, &m);
        prop_assume!(bytes != good);
        prop_assume!(affordable(&bytes));
        std::fs::write(&damaged, &bytes).expect("write");
        let seed = if other_holder {
            [0x33; 32]
        } else {
            HOLDER_SEED
        };
        match recovery_backup::read(&damaged, &seed) {
            Ok(_) => prop_assert!(false, "a damaged backup opened: {:?}", m),
            Err(RecoveryBackupError::OtherHolder(_) | RecoveryBackupError::Unreadable(_, _)) => {}
            Err(e) => prop_assert!(false, "unexpected {:?}", e),
        }
        Ok(())
    });
}

#[test]
fn damaged_wallet_and_backup_files_fail_by_name_and_stay_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("wallet.nansen");
    let data = sample_data();
    Wallet::create(&path, b"pass", data.clone(), FAST).expect("create");
    let good = std::fs::read(&path).expect("read");
    let backup = seal_backup(&data, b"backup pass", FAST).expect("backup");
    assert_eq!(open_bytes(&good, b"pass").expect("opens"), data);
    assert_eq!(open_backup(&backup, b"backup pass").expect("opens"), data);

    let damaged = dir.path().join("damaged.nansen");
    run(
        200,
        (any::<bool>(), mutation(), any::<bool>()),
        |(is_backup, m, wrong_pass)| {
            let original = if is_backup { &backup } else { &good };
            let bytes = mutate(original, &m);
            prop_assume!(bytes != *original);
            prop_assume!(affordable(&bytes));
            let pass: &[u8] = match (is_backup, wrong_pass) {
                (_, true) => b"guess",
                (false, false) => b"pass",
                (true, false) => b"backup pass",
            };
            let result = if is_backup {
                open_backup(&bytes, pass)
            } else {
                std::fs::write(&damaged, &bytes).expect("write");
                let r = Wallet::open(&damaged, pass).map(|w| w.data.clone());
                // Opening never writes: the file is as it was, and nothing is next to it.
                prop_assert_eq!(std::fs::read(&damaged).expect("read"), bytes.clone());
                prop_assert!(!wallet::backup_path(&damaged).exists());
                r
            };
            match result {
                Ok(_) => prop_assert!(false, "a damaged file opened: {:?}", m),
                Err(e) => prop_assert!(named_wallet_error(&e), "{:?}", e),
            }
            Ok(())
        },
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        good,
        "the wallet itself changed"
    );
    // Nothing but the wallet, its lock file (taken when it was created) and the damaged copy.
    let mut entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        ["damaged.nansen", "wallet.nansen", "wallet.nansen.lock"],
        "{entries:?}"
    );

    // Random bytes, with and without a valid magic and header.
    run(
        200,
        (prop::collection::vec(any::<u8>(), 0..400), 0u8..3),
        |(mut bytes, prefix)| {
            match prefix {
                1 => bytes = [&wallet::MAGIC[..], &bytes].concat(),
                2 => bytes = [&good[..wallet::HEADER_LEN], &bytes].concat(),
                _ => {}
            }
            prop_assume!(affordable(&bytes));
            for r in [
                open_bytes(&bytes, b"pass"),
                open_backup(&bytes, b"backup pass"),
            ] {
                match r {
                    Ok(_) => prop_assert!(false, "random bytes opened"),
                    Err(e) => prop_assert!(named_wallet_error(&e), "{:?}", e),
                }
            }
            Ok(())
        },
    );

    // Every single-bit flip of the KDF fields, where the cost it asks for stays small: a
    // named error (another key: WrongPassphrase; out of bounds: Corrupted).
    for i in KDF_FIELDS {
        for bit in 0..8 {
            let mut bytes = good.clone();
            bytes[i] ^= 1 << bit;
            if !affordable(&bytes) {
                continue;
            }
            let e = open_bytes(&bytes, b"pass").expect_err("flipped KDF field");
            assert!(named_wallet_error(&e), "byte {i} bit {bit}: {e:?}");
        }
    }

    // A payload that decrypts but is not a wallet (deep JSON, wrong shape) is Corrupted: the
    // JSON parser's depth limit holds behind the encryption too.
    for payload in [
        nested_json(100_000),
        "[]".to_owned(),
        r#"{"holder_seed":"zz","credentials":[]}"#.to_owned(),
    ] {
        let sealed = reseal_payload(&good, b"pass", payload.as_bytes());
        let e = open_bytes(&sealed, b"pass").expect_err("not a wallet payload");
        assert!(matches!(e, WalletError::Corrupted(_)), "{e:?}");
    }
}

#[test]
fn typed_recovery_phrases_fail_by_name_with_word_positions_from_1() {
    let phrase = recovery::new_phrase().expect("phrase");
    let words: Vec<String> = phrase.split(' ').map(str::to_owned).collect();
    let seed = recovery::holder_seed_from_phrase(&phrase).expect("seed");
    // Random text: a named error (or, never in practice, a valid phrase), no panic.
    run(300, ".{0,400}", |text| {
        if let Err(e) = recovery::holder_seed_from_phrase(&text) {
            prop_assert!(!matches!(e, RecoveryError::Randomness), "{:?}", e);
        }
        Ok(())
    });
    // One word replaced by a non-word: the error names its position, counted from 1.
    run(
        200,
        (
            0usize..24,
            "[a-z]{1,12}",
            prop::sample::select(vec![" ", "\n", " \t", "\r\n"]),
        ),
        |(i, junk, sep)| {
            let mut typed = words.clone();
            typed[i] = format!("{junk}9"); // no BIP39 word has a digit
            let text = typed.join(sep);
            match recovery::holder_seed_from_phrase(&text) {
                Err(RecoveryError::UnknownWord(n)) => prop_assert_eq!(n, i + 1),
                other => prop_assert!(false, "{:?}", other.map(|_| ())),
            }
            // The right words with any of these separators give the same seed.
            let right = recovery::holder_seed_from_phrase(&words.join(sep)).expect("phrase");
            prop_assert_eq!(*right, *seed);
            Ok(())
        },
    );
}

/// A wallet file with the same header whose ciphertext is `payload` under the right key.
fn reseal_payload(file: &[u8], pass: &[u8], payload: &[u8]) -> Vec<u8> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let head = &file[..wallet::HEADER_LEN];
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&head[21..37]);
    let params = argon2::Params::new(FAST.memory_kib, FAST.iterations, FAST.parallelism, Some(32))
        .expect("params");
    let mut key = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(pass, &salt, &mut key)
        .expect("argon2");
    let ct = XChaCha20Poly1305::new(&key.into())
        .encrypt(
            XNonce::from_slice(&head[37..61]),
            Payload {
                msg: payload,
                aad: head,
            },
        )
        .expect("encrypt");
    [head, ct.as_slice()].concat()
}

// --- VC API -----------------------------------------------------------------------------------

fn vc_api_credential() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject", "name": "Amal Haddad"},
    })
}

fn check_response(r: &vc_api::Response) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(r.status, 200 | 201 | 400 | 404 | 405),
        "status {}: {}",
        r.status,
        r.body
    );
    if r.status >= 400 {
        prop_assert!(
            r.body["errors"][0]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty()),
            "{}",
            r.body
        );
        prop_assert_eq!(&r.body["verified"], &json!(false));
    }
    Ok(())
}

#[test]
fn vc_api_requests_get_named_answers() {
    let issued = vc_api::handle(
        "POST",
        "/credentials/issue",
        json!({"credential": vc_api_credential()})
            .to_string()
            .as_bytes(),
        &REGISTRAR_SEED,
        NOW,
    );
    assert_eq!(issued.status, 201, "{}", issued.body);
    let vc = issued.body["verifiableCredential"].clone();
    let verify_body = json!({"verifiableCredential": vc});
    let routes = prop::sample::select(vec![
        "/credentials/issue",
        "/credentials/verify",
        "/presentations/verify",
        "/credentials/verify?x=1",
        "/nowhere",
        "",
    ]);
    let methods = prop::sample::select(vec!["POST", "POST", "POST", "GET", "", "post"]);
    // Random bodies.
    run(
        300,
        (
            methods,
            routes.clone(),
            prop::collection::vec(any::<u8>(), 0..300),
        ),
        |(method, route, body)| {
            check_response(&vc_api::handle(method, route, &body, &REGISTRAR_SEED, NOW))
        },
    );
    // Mutated valid requests: a verified answer only for the same credential. The suite signs
    // the RDF graph, so JSON that differs but means the same graph verifies (a value and a
    // one-element array, a null in an array, member order): compare the canonical N-Quads.
    let canonical = |doc: &Value| {
        let mut unsigned = doc.clone();
        if let Some(map) = unsigned.as_object_mut() {
            map.remove("proof");
        }
        nansen_wallet::data_integrity::rdfc_canonical_document(
            &unsigned,
            nansen_wallet::context::context_loader(),
        )
    };
    let original = canonical(&vc).expect("canonical");
    run(150, json_mutation(), |m| {
        let body = mutate_json(&verify_body, &m);
        let r = vc_api::handle(
            "POST",
            "/credentials/verify",
            body.to_string().as_bytes(),
            &REGISTRAR_SEED,
            NOW,
        );
        check_response(&r)?;
        if r.status == 200 {
            let mutated = &body["verifiableCredential"];
            match canonical(mutated) {
                Ok(c) => prop_assert_eq!(&c, &original, "{:?}: {}", m, mutated),
                Err(e) => prop_assert!(false, "verified but not canonical: {:?} {}", e, mutated),
            }
        }
        Ok(())
    });
    run(100, json_mutation(), |m| {
        let body = mutate_json(
            &json!({"credential": vc_api_credential(), "options": {"cryptosuite": "eddsa-jcs-2022"}}),
            &m,
        );
        check_response(&vc_api::handle(
            "POST",
            "/credentials/issue",
            body.to_string().as_bytes(),
            &REGISTRAR_SEED,
            NOW,
        ))
    });
    // Deep nesting, as the whole body and inside the documents.
    for depth in [127, 128, 129, 100_000] {
        for route in [
            "/credentials/issue",
            "/credentials/verify",
            "/presentations/verify",
        ] {
            for body in [
                nested_json(depth),
                nested_json_objects(depth),
                format!(
                    r#"{{"credential":{0},"verifiableCredential":{0},"verifiablePresentation":{0}}}"#,
                    nested_json(depth)
                ),
            ] {
                let r = vc_api::handle("POST", route, body.as_bytes(), &REGISTRAR_SEED, NOW);
                check_response(&r).expect("named answer");
                assert!(r.status >= 400, "{route} depth {depth}: {}", r.body);
            }
        }
    }
}

/// A VC API credential whose subject nests `levels` objects: the whole signed document is
/// `levels + 2` deep.
fn nested_subject(levels: usize) -> Value {
    let mut deep = json!("x");
    for _ in 0..levels {
        deep = json!({ "name": deep });
    }
    let mut credential = vc_api_credential();
    credential["credentialSubject"]["name"] = deep;
    credential
}

#[test]
fn documents_at_the_depth_limit_work_on_a_small_stack_and_deeper_ones_are_named() {
    use nansen_wallet::data_integrity::MAX_DOCUMENT_DEPTH;
    // Run where a server connection runs: a 2 MiB thread. Before the limit, a subject nested
    // 11 levels overflowed this stack in `ssi` and aborted the whole process.
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let post = |route: &str, body: Value| {
                vc_api::handle(
                    "POST",
                    route,
                    body.to_string().as_bytes(),
                    &REGISTRAR_SEED,
                    NOW,
                )
            };
            for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
                let at_limit = nested_subject(MAX_DOCUMENT_DEPTH - 2);
                let r = post(
                    "/credentials/issue",
                    json!({"credential": at_limit, "options": {"cryptosuite": suite}}),
                );
                assert_eq!(r.status, 201, "{suite}: {}", r.body);
                let vc = r.body["verifiableCredential"].clone();
                let r = post("/credentials/verify", json!({ "verifiableCredential": vc }));
                assert_eq!(r.status, 200, "{suite}: {}", r.body);

                let over = nested_subject(MAX_DOCUMENT_DEPTH - 1);
                let r = post(
                    "/credentials/issue",
                    json!({"credential": over, "options": {"cryptosuite": suite}}),
                );
                assert_eq!(r.status, 400, "{suite}: {}", r.body);
                assert_eq!(r.body["errors"][0]["name"], "TooDeeplyNested", "{}", r.body);
                // A signed credential made deeper after signing: refused by name too.
                let mut deeper = vc.clone();
                deeper["credentialSubject"]["name"] =
                    nested_subject(40)["credentialSubject"].clone();
                let r = post(
                    "/credentials/verify",
                    json!({ "verifiableCredential": deeper }),
                );
                assert_eq!(r.status, 400, "{suite}: {}", r.body);
                assert!(
                    r.body["errors"][0]["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("TooDeeplyNested")),
                    "{}",
                    r.body
                );
            }
            // A presentation at the limit (it wraps the credential two levels down).
            let r = post(
                "/credentials/issue",
                json!({ "credential": nested_subject(MAX_DOCUMENT_DEPTH - 4) }),
            );
            assert_eq!(r.status, 201, "{}", r.body);
            let vc = r.body["verifiableCredential"].clone();
            let vp = nansen_wallet::present_data_integrity(&vc, &HOLDER_SEED, "c", "d", NOW)
                .expect("present");
            let r = post(
                "/presentations/verify",
                json!({"verifiablePresentation": vp, "options": {"challenge": "c", "domain": "d"}}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            // The real civil-status presentation is far from the limit.
            let issued = issue_birth();
            let vp = nansen_wallet::present_data_integrity(
                &issued.data_integrity,
                &HOLDER_SEED,
                "c",
                "d",
                NOW,
            )
            .expect("present");
            nansen_wallet::verify_data_integrity_presentation(&vp, "c", "d", NOW)
                .expect("verifies");
            assert!(depth(&vp) <= 5, "{}", depth(&vp));
        })
        .expect("thread");
    worker.join().expect("no overflow, no panic");
}

#[test]
fn numbers_json_ld_cannot_represent_are_refused_by_name_not_a_panic() {
    // `ssi` 0.16 unwraps its JSON conversion when expanding a presentation or credential:
    // these numbers (valid JSON) made it panic, killing `nansen verify` or a VC API connection.
    let issued = issue_birth();
    let vp =
        nansen_wallet::present_data_integrity(&issued.data_integrity, &HOLDER_SEED, "c", "d", NOW)
            .expect("present");
    let vc = vc_api::handle(
        "POST",
        "/credentials/issue",
        json!({ "credential": vc_api_credential() })
            .to_string()
            .as_bytes(),
        &REGISTRAR_SEED,
        NOW,
    )
    .body["verifiableCredential"]
        .clone();
    for number in [
        "1e300",
        "1E5",
        "1e-7",
        "123456789012345678901234567890",
        "-9223372036854775809",
    ] {
        let n: Value = serde_json::from_str(number).expect("JSON number");
        let mut bad_vp = vp.clone();
        bad_vp["x"] = n.clone();
        let e = nansen_wallet::verify_data_integrity_presentation(&bad_vp, "c", "d", NOW)
            .expect_err(number);
        assert!(
            matches!(e, CredentialError::MalformedDocument(_)),
            "{number}: {e:?}"
        );
        let mut bad_vc = vc.clone();
        bad_vc["credentialSubject"]["age"] = n.clone();
        for (route, body) in [
            (
                "/credentials/verify",
                json!({ "verifiableCredential": bad_vc }),
            ),
            (
                "/presentations/verify",
                json!({ "verifiablePresentation": bad_vp }),
            ),
            (
                "/credentials/issue",
                json!({ "credential": {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential"],
                    "credentialSubject": {"id": "did:example:s", "age": n},
                }}),
            ),
        ] {
            let r = vc_api::handle(
                "POST",
                route,
                body.to_string().as_bytes(),
                &REGISTRAR_SEED,
                NOW,
            );
            assert_eq!(r.status, 400, "{route} {number}: {}", r.body);
        }
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
