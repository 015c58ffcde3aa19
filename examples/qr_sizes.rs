//! QR codes: bytes per profile, before (`NS1`) and after (`NS2`, the compact envelope of
//! `specs/credentials.md` 11.2.1). A measurement, not a test: it prints one line per figure,
//!
//!     nansen-qr PROFILE NAME VALUE
//!
//! A real network (three nodes, each a witness; the registrar accredited by governance), a
//! refugee-status credential with every claim and a portrait (a 1,374-byte JPEG) issued and
//! anchored through a node, received by the holder's
//! wallet, then `nansen present` of each profile with its portable ledger proof (`--node`),
//! written as QR codes in both framings (`--qr-framing ns1` and the default `ns2`). The
//! figures are read from what the binaries wrote: the presentation file, the QR text file, and
//! the version and error-correction level `present` reports for each code it writes.
//!
//!     cargo run --release --example qr_sizes
//!     NANSEN_SCENARIO_PROFILE=debug cargo run --example qr_sizes   # debug binaries

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::*;
use serde_json::Value;

const REGISTRAR: &str = "azraq-camp";
const REFUGEE: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"1990-05-17",
"countryOfOrigin":"SY","hostCountry":"JO","statusGrantedDate":"2024-03-04","nationality":"SY",
"caseNumber":"JO-AZR-2024-004517","registrationNumber":"JO-AZ-R-2024-000123",
"registrationDate":"2024-03-04","registrationPlace":"Azraq camp registration office"}"#;

/// The profiles measured: name, `present` arguments choosing the claims.
const PROFILES: &[(&str, &[&str])] = &[
    ("border", &["--profile", "border"]),
    (
        "border+portrait",
        &[
            "--claims",
            "givenName,familyName,nationality,countryOfOrigin,hostCountry,statusGrantedDate,\
             caseNumber,portrait",
        ],
    ),
    ("minimal", &["--claims", "givenName,familyName"]),
    (
        "full",
        &[
            "--claims",
            "givenName,familyName,birthDate,countryOfOrigin,hostCountry,statusGrantedDate,\
             nationality,caseNumber,registrationNumber,registrationDate,registrationPlace",
        ],
    ),
];

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("qr_sizes: {what}: {e}");
    std::process::exit(1)
}

struct Holder {
    wallet: PathBuf,
    env: Vec<(String, String)>,
    dir: PathBuf,
}

impl Holder {
    fn run(&self, args: &[&str]) -> Out {
        run(&self.wallet, args, &self.env, None)
    }

    fn ok(&self, args: &[&str]) -> Out {
        let o = self.run(args);
        if !o.ok() {
            fail(&format!("nansen {}", args.join(" ")), o.both());
        }
        o
    }
}

/// What `present` wrote in one framing: the presentation's bytes, the QR text's characters,
/// the number of codes, and the largest code's version and level.
struct Written {
    presentation: usize,
    chars: usize,
    codes: usize,
    version: u32,
    level: String,
}

/// The `(version N, error correction L)` of the `qr-written` lines `present` printed.
fn versions(stderr: &str) -> Vec<(u32, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("(version ")?;
            let (v, rest) = rest.split_once(", error correction ")?;
            Some((v.parse().ok()?, rest.trim_end_matches(')').to_owned()))
        })
        .collect()
}

fn present(h: &Holder, id: &str, api: &str, tag: &str, claims: &[&str], framing: &str) -> Written {
    let nonce = h.ok(&["challenge", "--audience", "border-post-7"]).stdout;
    let out = h.dir.join(format!("{tag}-{framing}.txt"));
    let qr = h.dir.join(format!("{tag}-{framing}.qr"));
    let png = h.dir.join(format!("{tag}-{framing}.png"));
    let (out_s, qr_s, png_s) = (p(&out), p(&qr), p(&png));
    let mut args = vec![
        "present",
        "--yes",
        id,
        "--challenge",
        nonce.trim(),
        "--audience",
        "border-post-7",
        "--node",
        api,
        "--qr-framing",
        framing,
        "--out",
        &out_s,
        "--qr-text",
        &qr_s,
        "--qr-png",
        &png_s,
    ];
    args.extend_from_slice(claims);
    let o = h.ok(&args);
    let presentation = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as usize;
    let text = std::fs::read_to_string(&qr).unwrap_or_default();
    let parts: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let v = versions(&o.stderr);
    let (version, level) = v
        .iter()
        .max_by_key(|(v, _)| *v)
        .cloned()
        .unwrap_or((0, "?".into()));
    if v.len() != parts.len() {
        fail(
            "present",
            format!("{} codes written, {} reported", parts.len(), v.len()),
        );
    }
    Written {
        presentation,
        chars: parts.iter().map(|l| l.len()).sum(),
        codes: parts.len(),
        version,
        level,
    }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// Bytes a base45 text of `chars` characters decodes to (3 characters for 2 bytes, 2 for the
/// last odd byte).
fn base45_bytes(chars: usize) -> usize {
    chars / 3 * 2 + usize::from(chars % 3 == 2)
}

fn main() {
    let bins = build_binaries().unwrap_or_else(|e| fail("building the binaries", e));
    let tmp = tempfile::Builder::new()
        .prefix("nansen-qr-sizes-")
        .tempdir()
        .unwrap_or_else(|e| fail("temp dir", e));
    let dir = tmp.path().to_path_buf();
    let (gov, genesis, _) =
        create_network(&bins, &dir, "nansen-qr-sizes").unwrap_or_else(|e| fail("genesis", e));
    let a = Node::start(&bins, "a", &dir.join("a"), &genesis, None)
        .unwrap_or_else(|e| fail("node a", e));
    let boot = a.tcp_addr();
    let b = Node::start(&bins, "b", &dir.join("b"), &genesis, Some(&boot))
        .unwrap_or_else(|e| fail("node b", e));
    let c = Node::start(&bins, "c", &dir.join("c"), &genesis, Some(&boot))
        .unwrap_or_else(|e| fail("node c", e));
    let accreditation = Accreditation {
        registrar: REGISTRAR,
        display_name: "Azraq camp registration office",
        kinds: "refugee_status,identity_registration",
        jurisdictions: "JO",
    };
    accredit(&bins, &dir, &a.api, &gov, &accreditation)
        .unwrap_or_else(|e| fail("accrediting the registrar", e));
    let h = Holder {
        wallet: bins.wallet.clone(),
        dir: dir.clone(),
        env: vec![
            ("NANSEN_WALLET".into(), p(&dir.join("wallet.nansen"))),
            ("NANSEN_PASSPHRASE".into(), PASSPHRASE.into()),
            ("NANSEN_REGISTRAR_PASSPHRASE".into(), PASSPHRASE.into()),
            ("NANSEN_KDF_MEMORY_KIB".into(), "8192".into()),
            ("NANSEN_KDF_ITERATIONS".into(), "1".into()),
            ("NANSEN_VERIFIER_DIR".into(), p(&dir.join("verifier"))),
            ("LANG".into(), "C".into()),
        ],
    };
    h.ok(&["init"]);
    let holder = h.ok(&["did"]).stdout.trim().to_owned();
    // The claims, with the test portrait (a 60 x 80 JPEG of 1,374 bytes) as a data URI.
    let jpeg = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("wallet-cli/tests/fixtures/portrait.jpg"),
    )
    .unwrap_or_else(|e| fail("portrait", e));
    let mut refugee: Value = serde_json::from_str(REFUGEE).unwrap_or_else(|e| fail("claims", e));
    refugee["portrait"] = format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg)).into();
    let claims = dir.join("refugee.json");
    std::fs::write(&claims, refugee.to_string()).unwrap_or_else(|e| fail("claims", e));
    let bundle = p(&dir.join("refugee.credential.json"));
    let key = p(&dir.join("registrar.key"));
    // The registrar's accreditation must have reached node a's replica before it issues.
    let issued = poll(30, || {
        let o = h.run(&[
            "issue",
            "--kind",
            "refugee_status",
            "--claims",
            &p(&claims),
            "--holder",
            &holder,
            "--registrar-key",
            &key,
            "--out",
            &bundle,
            "--node",
            &a.api,
            "--registrar",
            REGISTRAR,
            "--jurisdiction",
            "JO",
            "--force",
        ]);
        (o.ok() && o.field("outcome").as_deref() == Some("accepted")).then_some(o)
    })
    .unwrap_or_else(|| fail("issue", "the node did not accept the attestation"));
    let id = issued.field("id").unwrap_or_default();
    h.ok(&["receive", "--file", &bundle]);
    // Wait until the proof's checkpoint carries the cosignatures of all three witnesses (the
    // proof a holder gets on a running network); say how many it had if not.
    let cosigned = |proof: &Value| {
        proof["portable_proof"]["checkpoint"]
            .as_str()
            .map_or(0, |c| {
                c.lines().filter(|l| l.starts_with('\u{2014}')).count()
            })
    };
    let status = poll(60, || {
        let s = get_json(&a.api, &format!("/v1/credentials/{id}/status")).ok()?;
        (cosigned(&s) >= 4).then_some(s)
    })
    .or_else(|| get_json(&a.api, &format!("/v1/credentials/{id}/status")).ok())
    .unwrap_or_else(|| fail("status", "no answer"));
    let signatures = cosigned(&status);
    println!("nansen-qr network checkpoint_signature_lines {signatures}");
    println!(
        "nansen-qr network inclusion_hashes {}",
        status["portable_proof"]["inclusion"]
            .as_array()
            .map_or(0, Vec::len)
    );
    for (name, claims) in PROFILES {
        let ns1 = present(&h, &id, &a.api, name, claims, "ns1");
        let ns2 = present(&h, &id, &a.api, name, claims, "ns2");
        let line = |k: &str, v: String| println!("nansen-qr {name} {k} {v}");
        line("presentation_json_bytes", ns2.presentation.to_string());
        line("ns1_chars", ns1.chars.to_string());
        line("ns1_codes", ns1.codes.to_string());
        line("ns1_qr_version", ns1.version.to_string());
        line("ns1_ecc", ns1.level.clone());
        let body = ns2.chars - ns2.codes * "NS2:1/1:".len();
        line("ns2_envelope_bytes", base45_bytes(body).to_string());
        line("ns2_chars", ns2.chars.to_string());
        line("ns2_codes", ns2.codes.to_string());
        line("ns2_qr_version", ns2.version.to_string());
        line("ns2_ecc", ns2.level.clone());
    }
    drop((a, b, c));
    if std::env::var_os("NANSEN_KEEP").is_some() {
        let _ = tmp.keep();
    }
}
