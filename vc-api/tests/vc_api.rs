//! `nansen-vc-api`: the real binary on a loopback port, spoken to over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

struct Server {
    child: Child,
    addr: String,
    issuer: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("registrar.key");
    write_registrar_key(&key, "registrar test passphrase");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nansen-vc-api"))
        .args(["--listen", "127.0.0.1:0", "--registrar-key"])
        .arg(&key)
        .env("NANSEN_REGISTRAR_PASSPHRASE", "registrar test passphrase")
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    line.clear();
    out.read_line(&mut line).unwrap();
    let issuer = line.trim().strip_prefix("issuer=").unwrap().to_owned();
    Server {
        child,
        addr,
        issuer,
        _dir: dir,
    }
}

impl Server {
    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let body = serde_json::to_vec(body).unwrap();
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        )
        .unwrap();
        s.write_all(&body).unwrap();
        let mut response = Vec::new();
        s.read_to_end(&mut response).unwrap();
        let text = String::from_utf8(response).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, serde_json::from_str(body).unwrap())
    }
}

fn credential() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject", "name": "Amal Haddad"},
    })
}

#[test]
fn issue_then_verify_with_both_suites_and_tampered_fails() {
    let server = start();
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let (status, issued) = server.post(
            "/credentials/issue",
            &json!({"credential": credential(), "options": {"cryptosuite": suite}}),
        );
        assert_eq!(status, 201, "{suite}: {issued}");
        let vc = issued["verifiableCredential"].clone();
        assert_eq!(vc["proof"]["cryptosuite"], suite);
        assert_eq!(vc["issuer"], server.issuer);

        let (status, result) =
            server.post("/credentials/verify", &json!({"verifiableCredential": vc}));
        assert_eq!(status, 200, "{suite}: {result}");
        assert_eq!(result["verified"], true);
        assert!(result["checks"]
            .as_array()
            .unwrap()
            .contains(&json!("proof")));

        let mut tampered = vc.clone();
        tampered["credentialSubject"]["name"] = json!("Someone Else");
        let (status, result) = server.post(
            "/credentials/verify",
            &json!({"verifiableCredential": tampered}),
        );
        assert!(status == 400 || status == 422, "{suite}: {status} {result}");
        assert_eq!(result["verified"], false);
        assert_eq!(result["errors"][0]["name"], "proof", "{result}");
    }
}

#[test]
fn bad_requests_get_400() {
    let server = start();
    let (status, _) = server.post(
        "/credentials/issue",
        &json!({"credential": credential(), "options": {"cryptosuite": "ecdsa-rdfc-2019"}}),
    );
    assert_eq!(status, 400);
    let mut foreign = credential();
    foreign["issuer"] = json!("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    let (status, body) = server.post("/credentials/issue", &json!({"credential": foreign}));
    assert_eq!(status, 400, "{body}");
    let (status, _) = server.post("/credentials/verify", &json!({"nothing": 1}));
    assert_eq!(status, 400);
    let (status, _) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": credential()}),
    );
    assert_eq!(status, 400);
    let (status, _) = server.post("/nowhere", &json!({}));
    assert_eq!(status, 404);
}

#[test]
fn presentation_verify_checks_proof_challenge_and_credentials() {
    let server = start();
    let (_, issued) = server.post("/credentials/issue", &json!({"credential": credential()}));
    let vc = issued["verifiableCredential"].clone();
    let holder_seed = [9u8; 32];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let vp =
        nansen_wallet::present_data_integrity(&vc, &holder_seed, "n-123", "verifier.example", now)
            .unwrap();
    let ok = json!({"verifiablePresentation": vp,
                    "options": {"challenge": "n-123", "domain": "verifier.example"}});
    let (status, result) = server.post("/presentations/verify", &ok);
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["verified"], true);

    let wrong = json!({"verifiablePresentation": vp, "options": {"challenge": "other"}});
    let (status, result) = server.post("/presentations/verify", &wrong);
    assert_eq!(status, 400, "{result}");
    assert_eq!(result["errors"][0]["name"], "challenge");

    let mut tampered = vp.clone();
    let embedded = match &mut tampered["verifiableCredential"] {
        Value::Array(list) => &mut list[0],
        one => one,
    };
    embedded["credentialSubject"]["name"] = json!("X");
    let (status, result) = server.post(
        "/presentations/verify",
        &json!({"verifiablePresentation": tampered}),
    );
    assert_eq!(status, 400, "{result}");
    assert_eq!(result["verified"], false);
}

#[test]
fn only_loopback_is_served() {
    let out = Command::new(env!("CARGO_BIN_EXE_nansen-vc-api"))
        .args(["--listen", "0.0.0.0:0", "--registrar-key", "/nonexistent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[test]
fn vcdm_1_1_credential_gets_the_data_integrity_context_and_verifies() {
    let server = start();
    let v1 = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuanceDate": "2020-03-16T22:37:26.544Z",
        "credentialSubject": {"id": "did:example:subject"},
    });
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let (status, issued) = server.post(
            "/credentials/issue",
            &json!({"credential": v1, "options": {"cryptosuite": suite}}),
        );
        assert_eq!(status, 201, "{suite}: {issued}");
        let vc = issued["verifiableCredential"].clone();
        assert_eq!(
            vc["@context"],
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://w3id.org/security/data-integrity/v2"
            ])
        );
        let (status, result) =
            server.post("/credentials/verify", &json!({"verifiableCredential": vc}));
        assert_eq!(status, 200, "{suite}: {result}");
    }
}

#[test]
fn examples_context_and_date_time_stamps_with_offsets_are_accepted() {
    let server = start();
    let mut credential = credential();
    credential["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ]);
    credential["type"] = json!(["VerifiableCredential", "ExampleCredential"]);
    credential["validFrom"] = json!("2020-01-01T00:00:00.123-05:00");
    credential["validUntil"] = json!("2999-01-01T00:00:00+01:00");
    let (status, issued) = server.post("/credentials/issue", &json!({"credential": credential}));
    assert_eq!(status, 201, "{issued}");
    let (status, result) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": issued["verifiableCredential"]}),
    );
    assert_eq!(status, 200, "{result}");
}

#[test]
fn data_model_violations_are_refused_at_issuance() {
    let server = start();
    let cases = [
        ("issuer", json!(null)),
        ("issuer", json!({"id": null})),
        (
            "name",
            json!({"@value": "x", "@language": "en", "url": "did:example:x"}),
        ),
        ("relatedResource", json!(["https://example.org/r"])),
        ("relatedResource", json!([{"id": "https://example.org/r"}])),
        (
            "relatedResource",
            json!([{"id": "https://example.org/r", "digestSRI": "sha384-a"},
                   {"id": "https://example.org/r", "digestSRI": "sha384-b"}]),
        ),
        ("credentialSubject", json!({})),
        ("credentialSubject", json!([{"id": "did:example:a"}, {}])),
    ];
    for (field, value) in cases {
        let mut bad = credential();
        bad[field] = value.clone();
        let (status, body) = server.post("/credentials/issue", &json!({"credential": bad}));
        assert_eq!(status, 400, "{field}: {value}: {body}");
    }
    let mut ok = credential();
    ok["name"] =
        json!([{"@value": "Nom", "@language": "fr"}, {"@value": "Name", "@language": "en"}]);
    ok["relatedResource"] = json!({"id": "https://example.org/r", "digestMultibase": "uEiA"});
    let (status, body) = server.post("/credentials/issue", &json!({"credential": ok}));
    assert_eq!(status, 201, "{body}");
}

#[test]
fn proof_sets_need_every_proof_valid_and_one_by_the_issuer() {
    let server = start();
    let (_, issued) = server.post(
        "/credentials/issue",
        &json!({"credential": credential(), "options": {"cryptosuite": "eddsa-jcs-2022"}}),
    );
    let vc = issued["verifiableCredential"].clone();
    // A second, independent proof by another key (a witness) over the same document.
    let mut unsigned = vc.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    let witness =
        nansen_wallet::data_integrity::sign_jcs(&unsigned, &[7u8; 32], 1_700_000_000).unwrap();
    let mut set = vc.clone();
    set["proof"] = json!([vc["proof"], witness["proof"]]);
    let (status, result) =
        server.post("/credentials/verify", &json!({"verifiableCredential": set}));
    assert_eq!(status, 200, "{result}");

    let mut bad = set.clone();
    bad["proof"][1]["proofValue"] = vc["proof"]["proofValue"].clone();
    let (status, _) = server.post("/credentials/verify", &json!({"verifiableCredential": bad}));
    assert_eq!(status, 400);

    let mut only_witness = vc.clone();
    only_witness["proof"] = witness["proof"].clone();
    let (status, result) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": only_witness}),
    );
    assert_eq!(status, 400, "{result}");

    let mut dangling = set.clone();
    dangling["proof"][1]["previousProof"] = json!("urn:uuid:missing");
    let (status, _) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": dangling}),
    );
    assert_eq!(status, 400);
}

/// A document signed with `eddsa-jcs-2022` by `seed` for `purpose`, whatever its data model:
/// the signature is good, so only the data model rules can refuse it.
fn signed_anyway(unsigned: &Value, seed: &[u8; 32], purpose: &str) -> Value {
    use nansen_wallet::data_integrity::sign_jcs_with_options;
    let did = nansen_wallet::did::did_key_from_seed(seed);
    let key = did.strip_prefix("did:key:").unwrap();
    let options = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": format!("{did}#{key}"),
        "proofPurpose": purpose,
        "@context": unsigned["@context"].clone(),
    });
    let Value::Object(options) = options else {
        unreachable!()
    };
    sign_jcs_with_options(unsigned, options, seed).unwrap()
}

#[test]
fn signed_documents_that_break_the_data_model_are_refused_with_the_rule_named() {
    let server = start();
    let issuer_seed = [0x11u8; 32];
    let issuer = nansen_wallet::did::did_key_from_seed(&issuer_seed);
    let mut good = credential();
    good["issuer"] = json!(issuer);
    let (status, result) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": signed_anyway(&good, &issuer_seed, "assertionMethod")}),
    );
    assert_eq!(status, 200, "the well-formed control must verify: {result}");

    let mut reordered = good.clone();
    reordered["@context"] = json!([
        "https://w3id.org/security/data-integrity/v2",
        "https://www.w3.org/ns/credentials/v2"
    ]);
    let mut untyped = good.clone();
    untyped["type"] = json!(["CivilStatusCredential"]);
    for (bad, rule) in [(reordered, "§4.3"), (untyped, "§4.5")] {
        let vc = signed_anyway(&bad, &issuer_seed, "assertionMethod");
        let (status, result) =
            server.post("/credentials/verify", &json!({"verifiableCredential": vc}));
        assert_eq!(status, 400, "{rule}: {result}");
        assert_eq!(result["verified"], false);
        let message = result["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(rule), "{rule}: {message}");
    }

    let holder_seed = [0x22u8; 32];
    let holder = nansen_wallet::did::did_key_from_seed(&holder_seed);
    let presentation = |context: Value, kind: Value| {
        let vp = json!({"@context": context, "type": kind, "holder": holder});
        signed_anyway(&vp, &holder_seed, "authentication")
    };
    let v2 = "https://www.w3.org/ns/credentials/v2";
    let di = "https://w3id.org/security/data-integrity/v2";
    let control = presentation(json!([v2, di]), json!(["VerifiablePresentation"]));
    let (status, result) = server.post(
        "/presentations/verify",
        &json!({"verifiablePresentation": control}),
    );
    assert_eq!(status, 200, "the well-formed control must verify: {result}");
    for (vp, rule) in [
        (
            presentation(json!([di, v2]), json!(["VerifiablePresentation"])),
            "§4.3",
        ),
        (
            presentation(json!([v2, di]), json!(["Presentation"])),
            "§4.5",
        ),
    ] {
        let (status, result) = server.post(
            "/presentations/verify",
            &json!({"verifiablePresentation": vp}),
        );
        assert_eq!(status, 400, "{rule}: {result}");
        let message = result["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(rule), "{rule}: {message}");
    }
}

#[test]
fn a_status_the_verifier_cannot_check_is_never_verified_without_a_warning() {
    let server = start();
    let mut with_status = credential();
    with_status["credentialStatus"] = json!({
        "id": "https://example.org/status/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.org/status/3",
    });
    let (status, issued) = server.post("/credentials/issue", &json!({"credential": with_status}));
    assert_eq!(status, 201, "{issued}");
    let (status, result) = server.post(
        "/credentials/verify",
        &json!({"verifiableCredential": issued["verifiableCredential"]}),
    );
    assert_eq!(status, 200, "{result}");
    let warnings = result["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{result}");
    assert_eq!(warnings[0]["name"], "credential-status-unchecked");
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(message.contains("BitstringStatusListEntry"), "{message}");
    assert!(message.contains("revocation"), "{message}");
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}

/// What a raw client gets back: the answer's bytes (empty when the server answered nothing).
fn raw_exchange(addr: &str, raw: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(40)))
        .unwrap();
    let _ = s.write_all(raw);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

fn status_of(answer: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[test]
fn hostile_requests_get_named_refusals_and_the_service_keeps_serving() {
    let server = start();
    let post = |head: &str, body: &[u8]| {
        let mut raw = format!(
            "POST /credentials/verify HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{head}\r\n",
            server.addr
        )
        .into_bytes();
        raw.extend_from_slice(body);
        raw_exchange(&server.addr, &raw)
    };
    let deep = format!("{}0{}", "[".repeat(100_000), "]".repeat(100_000));
    let chunked_body = br#"{"verifiableCredential": {}}"#;
    let mut chunked = format!("{:x}\r\n", chunked_body.len()).into_bytes();
    chunked.extend_from_slice(chunked_body);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    for (head, body, expected, name) in [
        (
            format!("Content-Length: {}\r\n", deep.len()),
            deep.as_bytes(),
            400,
            "MalformedRequest",
        ),
        (
            "Content-Length: 99999999999\r\n".to_owned(),
            &b"{}"[..],
            413,
            "body_too_large",
        ),
        // A chunked body is read like any other, within the same bound.
        (
            "Transfer-Encoding: chunked\r\n".to_owned(),
            &chunked[..],
            400,
            "credential",
        ),
        // A page of another origin cannot have the registrar key sign anything.
        (
            format!(
                "Origin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
                chunked_body.len()
            ),
            &chunked_body[..],
            403,
            "cross_origin",
        ),
    ] {
        let answer = post(&head, body);
        let text = String::from_utf8_lossy(&answer);
        assert_eq!(status_of(&answer), Some(expected), "{head}: {text}");
        assert!(text.contains(name), "{head}: {text}");
    }
    // Malformed heads get a 4xx or no answer; none stops the service.
    for raw in [
        "POST /credentials/verify HTTP/1.1\r\nContent-Length: -1\r\n\r\n{}".to_owned(),
        format!("POST / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(100_000)),
        format!("POST / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(200)),
        "\u{0}\u{1}garbage\r\n\r\n".to_owned(),
    ] {
        let answer = raw_exchange(&server.addr, raw.as_bytes());
        if let Some(code) = status_of(&answer) {
            assert!((400..500).contains(&code), "{code}");
        }
    }
    let (status, result) = server.post("/credentials/verify", &json!({"verifiableCredential": {}}));
    assert_eq!(status, 400, "{result}");
}

#[test]
fn help_and_errors_are_told_in_french_and_arabic() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_nansen-vc-api"));
        command
            .args(args)
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    let help = run(&["--lang", "fr", "--help"], &[]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success());
    assert!(
        text.contains("Servir le sous-ensemble de l'API W3C VC"),
        "{text}"
    );
    assert!(text.contains("Langue des messages"), "{text}");
    let refused = ["--listen", "0.0.0.0:0", "--registrar-key", "/nonexistent"];
    let french = run(&refused, &[("LANGUAGE", "fr")]);
    assert_eq!(french.status.code(), Some(2));
    let err = String::from_utf8_lossy(&french.stderr);
    assert!(
        err.contains("NotLoopback") && err.contains("seule une adresse de boucle locale"),
        "{err}"
    );
    let arabic = run(&[&["--lang", "ar"][..], &refused[..]].concat(), &[]);
    let err = String::from_utf8_lossy(&arabic.stderr);
    assert!(err.contains("لا يُخدم إلا عنوان محلي"), "{err}");
    // A usage error, with clap's words in French.
    let usage = run(&["--lang", "fr", "--listn", "x"], &[]);
    assert_eq!(usage.status.code(), Some(2));
    let err = String::from_utf8_lossy(&usage.stderr);
    assert!(err.contains("erreur"), "{err}");
    // An unavailable language is named once, and English is used.
    let german = run(&[&["--lang", "de"][..], &refused[..]].concat(), &[]);
    let err = String::from_utf8_lossy(&german.stderr);
    assert_eq!(err.matches("\"de\"").count(), 1, "{err}");
    assert!(err.contains("only a loopback address"), "{err}");
}

#[test]
fn system_and_key_file_causes_are_told_in_french_and_arabic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("words.key"), "hello").expect("write");
    write_registrar_key(&d.join("registrar.key"), "correct horse battery staple");
    write_registrar_key(&d.join("other-pass.key"), "registrar test passphrase");
    {
        use nansen_files::keyfile::{write_key_file, KeyKind};
        write_key_file(
            &d.join("node.key"),
            KeyKind::Node,
            &[0x22; 32],
            "correct horse battery staple",
        )
        .expect("node key");
    }
    // A port already taken (this test holds it).
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let taken = taken.local_addr().expect("addr").to_string();
    let run = |lang: &str, key: &str, listen: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_nansen-vc-api"))
            .args(["--lang", lang, "--registrar-key", key, "--listen", listen])
            .current_dir(d)
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env(
                "NANSEN_REGISTRAR_PASSPHRASE",
                "correct horse battery staple",
            )
            .output()
            .expect("run nansen-vc-api");
        assert!(!out.status.success(), "{out:?}");
        let err = String::from_utf8(out.stderr).expect("utf8");
        for english in [
            "os error",
            "No such file",
            "Address already in use",
            "key file I/O",
            "expected value",
            "wrong passphrase",
            "the file holds a",
        ] {
            assert!(!err.contains(english), "{english:?} in {err}");
        }
        err
    };
    // (key file, listen address, the French words, the Arabic words, the error's name)
    let cases = [
        (
            "missing.key",
            "127.0.0.1:0",
            "fichier ou dossier introuvable",
            "الملف أو المجلد غير موجود",
            "RegistrarKey",
        ),
        (
            "words.key",
            "127.0.0.1:0",
            "ce n'est pas un fichier de clé Nansen : ce n'est pas du JSON (ligne 1, colonne 1)",
            "ليس JSON",
            "RegistrarKey",
        ),
        (
            "other-pass.key",
            "127.0.0.1:0",
            "mauvaise phrase de passe, ou fichier de clé modifié",
            "عبارة مرور خاطئة، أو أن ملف المفتاح عُدِّل",
            "RegistrarKey",
        ),
        (
            "node.key",
            "127.0.0.1:0",
            "le fichier contient une clé node, pas une clé registrar",
            "يحتوي الملف على مفتاح",
            "RegistrarKey",
        ),
        (
            "registrar.key",
            taken.as_str(),
            "l'adresse est déjà utilisée",
            "العنوان مستخدم مسبقًا",
            "Listen",
        ),
    ];
    for (key, listen, french, arabic, name) in cases {
        let fr = run("fr", key, listen);
        assert!(fr.contains(name) && fr.contains(french), "{fr}");
        let ar = run("ar", key, listen);
        assert!(ar.contains(name) && ar.contains(arabic), "{ar}");
    }
}
