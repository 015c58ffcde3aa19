//! The registrar's tools with the real `nansen` binary: the claims of each kind in `--help`
//! and in the specification, all claim errors at once, and one country-code convention.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use nansen_wallet::event::{claim_list, claims_table_markdown};
use nansen_wallet::{CredentialKind as _, EventKind};

const HOLDER: &str = "did:key:z6MkqGC3nWZhYieEVTVDKW5v588CiGfsDSmRVG9ZwwWTvLSK";

fn nansen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nansen"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("NANSEN_NODE")
        .env("NANSEN_REGISTRAR_PASSPHRASE", REGISTRAR_PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("run nansen")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn spec() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/credentials.md");
    std::fs::read_to_string(path).expect("specs/credentials.md")
}

#[test]
fn issue_help_and_the_spec_list_the_claims_of_the_one_claim_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    for command in ["issue", "supersede"] {
        let out = nansen(dir.path(), &[command, "--help"]);
        assert!(out.status.success(), "{out:?}");
        let help = stdout(&out);
        for kind in EventKind::ALL {
            let block = format!(
                "  {}\n    required: {}\n    optional: {}\n",
                kind.name(),
                claim_list(kind.claim_specs(), true),
                claim_list(kind.claim_specs(), false)
            );
            assert!(
                help.contains(&block),
                "{command} --help lacks\n{block}\nin\n{help}"
            );
        }
    }
    let table = claims_table_markdown();
    assert!(
        spec().contains(&table),
        "specs/credentials.md section 2 differs from the claim table; it should read:\n{table}"
    );
}

#[test]
fn issue_help_lists_the_claims_in_french_and_arabic_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fr = stdout(&nansen(dir.path(), &["--lang", "fr", "issue", "--help"]));
    assert!(
        fr.contains("obligatoires: givenName") && fr.contains("Informations de chaque"),
        "{fr}"
    );
    let ar = stdout(&nansen(dir.path(), &["--lang", "ar", "issue", "--help"]));
    assert!(
        ar.contains("countryOfOrigin (country)") && ar.contains("بيانات كل نوع"),
        "{ar}"
    );
}

fn write_seed(dir: &Path) -> PathBuf {
    let path = dir.join("registrar.key");
    if !path.exists() {
        write_registrar_key(&path, REGISTRAR_PASSPHRASE);
    }
    path
}

/// The registrar key file's passphrase, as `nansen` reads it from the environment.
const REGISTRAR_PASSPHRASE: &str = "registrar test passphrase";

#[test]
fn every_claim_error_of_one_issue_is_reported_at_once_with_the_allowed_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = write_seed(dir.path());
    let out = nansen(
        dir.path(),
        &[
            "issue",
            "--kind",
            "birth",
            "--holder",
            HOLDER,
            "--registrar-key",
            seed.to_str().expect("utf8"),
            "--out",
            "bundle.json",
            "--claim",
            "givenname=Amal",
            "--claim",
            "familyName=Haddad",
            "--claim",
            "birthDate=2023-02-30",
            "--claim",
            "deathDate=2024-01-01",
            "--claim",
            "registrationNumber=JO-1",
            "--claim",
            "registrationDate=2024-03-04",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "Error: InvalidClaims: 5 problem(s) with the birth claims; nothing was issued:",
            "  - birthDate: \"2023-02-30\" is not a date YYYY-MM-DD (a real calendar day)",
            "  - deathDate: not a claim of birth",
            "  - givenname: not a claim of birth (did you mean givenName?)",
            "  - givenName: required, and missing",
            "  - birthPlace: required, and missing",
            &format!(
                "The birth claims are, required: {}; optional: {}. (nansen issue --help lists every kind's.)",
                claim_list(EventKind::Birth.claim_specs(), true),
                claim_list(EventKind::Birth.claim_specs(), false)
            ),
        ],
        "{err}"
    );
    assert!(!dir.path().join("bundle.json").exists());
}

fn issue(dir: &Path, extra: &[&str]) -> Output {
    let seed = write_seed(dir);
    let mut args = vec![
        "issue",
        "--kind",
        "refugee_status",
        "--holder",
        HOLDER,
        "--registrar-key",
        seed.to_str().expect("utf8"),
        "--out",
        "bundle.json",
        "--claim",
        "givenName=Amal",
        "--claim",
        "familyName=Haddad",
        "--claim",
        "birthDate=1990-07-15",
        "--claim",
        "statusGrantedDate=2025-04-04",
        "--claim",
        "registrationNumber=UNHCR-1",
        "--claim",
        "registrationDate=2025-04-04",
    ];
    args.extend_from_slice(extra);
    nansen(dir, &args)
}

#[test]
fn countries_are_written_as_alpha2_whether_typed_alpha2_or_alpha3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = issue(
        dir.path(),
        &[
            "--claim",
            "countryOfOrigin=SYR",
            "--claim",
            "hostCountry=jo",
            "--claim",
            "nationality=syr",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("bundle.json")).expect("bundle"))
            .expect("json");
    let subject = &bundle["data_integrity"]["credentialSubject"];
    assert_eq!(subject["countryOfOrigin"], "SY");
    assert_eq!(subject["hostCountry"], "JO");
    assert_eq!(subject["nationality"], "SY");
}

#[test]
fn an_unknown_country_or_jurisdiction_is_refused_naming_the_convention() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = issue(
        dir.path(),
        &[
            "--claim",
            "countryOfOrigin=Syria",
            "--claim",
            "hostCountry=XYZ",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert!(
        err.contains(
            "  - countryOfOrigin: \"Syria\" is not the ISO 3166-1 alpha-2 code of a country, \
             e.g. SY (or its alpha-3 code, SYR, written as SY)"
        ) && err.contains("  - hostCountry: \"XYZ\" is not the ISO 3166-1 alpha-2 code"),
        "{err}"
    );
    // The jurisdiction is checked before the node is asked anything (nothing listens there).
    let out = issue(
        dir.path(),
        &[
            "--claim",
            "countryOfOrigin=SY",
            "--claim",
            "hostCountry=JO",
            "--node",
            "http://127.0.0.1:9",
            "--registrar",
            "office-1",
            "--jurisdiction",
            "XY-MA",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert!(
        err.contains("invalid jurisdiction \"XY-MA\": a jurisdiction is an ISO 3166-1 alpha-2 country code (JO)"),
        "{err}"
    );
    assert!(!dir.path().join("bundle.json").exists());
}

#[test]
fn only_an_encrypted_key_file_is_a_registrar_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // A plaintext seed (what `issue` once accepted) and a node key are refused by name,
    // before any passphrase is asked, and nothing is written.
    std::fs::write(d.join("plain.hex"), "11".repeat(32)).expect("write");
    nansen_files::keyfile::write_key_file(
        &d.join("node.key"),
        nansen_files::keyfile::KeyKind::Node,
        &[0x22; 32],
        REGISTRAR_PASSPHRASE,
    )
    .expect("node key");
    for (file, named) in [
        ("plain.hex", "not a Nansen key file"),
        ("node.key", "holds a node key, not a registrar key"),
    ] {
        let out = nansen(
            d,
            &[
                "issue",
                "--kind",
                "refugee_status",
                "--holder",
                HOLDER,
                "--registrar-key",
                file,
                "--claim",
                "givenName=Amal",
                "--claim",
                "familyName=Haddad",
                "--claim",
                "birthDate=1990-07-15",
                "--claim",
                "statusGrantedDate=2025-04-04",
                "--claim",
                "registrationNumber=UNHCR-1",
                "--claim",
                "registrationDate=2025-04-04",
                "--claim",
                "countryOfOrigin=SY",
                "--claim",
                "hostCountry=JO",
                "--out",
                "b.json",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(stderr(&out).contains(named), "{file}: {}", stderr(&out));
        assert!(!d.join("b.json").exists());
    }
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}
