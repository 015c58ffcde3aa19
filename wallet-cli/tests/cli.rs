//! End-to-end tests of the real `nansen` binary, each in its own temporary directory.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const CLAIMS: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"2024-02-29",
"birthPlace":"Zaatari camp, Mafraq","sex":"female","nationality":"SYR",
"registrationNumber":"JO-ZA-2024-000123","registrationDate":"2024-03-04"}"#;
const AUDIENCE: &str = "border.example";
/// `nansen verify`'s exit code for an invalid presentation.
const INVALID: i32 = 1;
/// `nansen verify`'s exit code when the signatures hold but no ledger evidence was given:
/// issuer and status not checked, never "valid".
const SIGNATURE_ONLY: i32 = 3;
const SIGNATURE_ONLY_VERDICT: &str = "VERDICT: SIGNATURE ONLY: issuer and status not checked";

struct Env {
    dir: tempfile::TempDir,
    passphrase: String,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            passphrase: "correct horse battery staple".into(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn wallet(&self) -> PathBuf {
        self.path("wallet.nansen")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_nansen"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("NANSEN_WALLET", self.wallet())
            .env("NANSEN_PASSPHRASE", &self.passphrase)
            .env("NANSEN_KDF_MEMORY_KIB", "64")
            .env("NANSEN_KDF_ITERATIONS", "1")
            .env("NANSEN_VERIFIER_DIR", self.path("verifier"))
            .env("LANG", "C")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "nansen {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn did(&self) -> String {
        self.ok(&["did"]).trim().to_owned()
    }

    /// init, issue a birth credential to the holder, receive it; returns (init output, id hex).
    fn with_credential() -> (Env, String, String) {
        let env = Env::new();
        let init = env.ok(&["init"]);
        let holder = env.did();
        write_registrar_key(&env.path("registrar.key"), &env.passphrase);
        std::fs::write(env.path("claims.json"), CLAIMS).unwrap();
        let issued = env.ok(&[
            "issue",
            "--kind",
            "birth",
            "--claims",
            "claims.json",
            "--holder",
            &holder,
            "--registrar-key",
            "registrar.key",
            "--out",
            "cred.json",
        ]);
        let id = field(&issued, "id");
        assert_eq!(id.len(), 32);
        assert_eq!(field(&issued, "di_digest").len(), 64);
        assert_eq!(field(&issued, "sd_digest").len(), 64);
        env.ok(&["receive", "--file", "cred.json"]);
        (env, init, id)
    }

    fn challenge(&self) -> String {
        self.ok(&["challenge", "--audience", AUDIENCE])
            .trim()
            .to_owned()
    }

    fn present(&self, id: &str, claims: &str, nonce: &str, out: &str) {
        self.ok(&[
            "present",
            "--yes",
            id,
            "--claims",
            claims,
            "--challenge",
            nonce,
            "--audience",
            AUDIENCE,
            "--out",
            out,
        ]);
    }

    /// Verifies with no ledger evidence: the exit code and the report.
    fn verify(&self, file: &str, nonce: &str, audience: &str) -> (i32, String) {
        let out = self.run(&["verify", file, "--challenge", nonce, "--audience", audience]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.code().unwrap_or(-1), text)
    }
}

fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in {output}"))
        .to_owned()
}

fn check_line<'a>(output: &'a str, check: &str) -> &'a str {
    output
        .lines()
        .find(|l| l.split_whitespace().next() == Some(check))
        .unwrap_or_else(|| panic!("no {check} line in {output}"))
}

/// Every piece of the presentation, and the base64url-decoded form of each, as text.
fn all_decoded(presentation: &str) -> String {
    let mut out = presentation.to_owned();
    for piece in presentation.split(['~', '.']) {
        if let Ok(bytes) = URL_SAFE_NO_PAD.decode(piece.trim()) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

#[test]
fn selective_presentation_verifies_and_hides_undisclosed_claims() {
    let (env, _, id) = Env::with_credential();
    let listed = env.ok(&["list"]);
    assert!(listed.contains(&id) && listed.contains("birth"), "{listed}");
    let shown = env.ok(&["show", &id[..8]]);
    assert!(shown.contains("Haddad"), "{shown}");

    let nonce = env.challenge();
    env.present(&id, "givenName,nationality", &nonce, "pres.txt");
    let presentation = std::fs::read_to_string(env.path("pres.txt")).unwrap();
    let everything = all_decoded(&presentation);
    // The claims file says SYR: the credential carries its alpha-2 code.
    assert!(everything.contains("Amal") && everything.contains("\"SY\""));
    for hidden in [
        "Haddad",
        "2024-02-29",
        "Zaatari",
        "female",
        "JO-ZA-2024-000123",
        "2024-03-04",
    ] {
        assert!(!everything.contains(hidden), "{hidden} leaked");
    }

    let (code, out) = env.verify("pres.txt", &nonce, AUDIENCE);
    assert_eq!(code, SIGNATURE_ONLY, "{out}");
    for check in [
        "issuer-signature",
        "holder-binding",
        "challenge",
        "audience",
        "replay",
    ] {
        assert!(check_line(&out, check).contains("PASS"), "{out}");
    }
    assert!(out.contains("givenName: Amal") && out.contains("nationality: SY\n"));
    assert!(!out.contains("Haddad"));
    // No ledger evidence: the last line never says valid.
    assert!(out.contains(SIGNATURE_ONLY_VERDICT), "{out}");
    assert!(!out.contains("VERDICT: VALID"), "{out}");
    assert!(out.contains("not checked: ledger-anchoring, issuer-accredited, credential-status, revocation-freshness"), "{out}");
}

#[test]
fn border_profile_and_json_output() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.ok(&[
        "present",
        "--yes",
        &id,
        "--profile",
        "border",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--out",
        "pres.txt",
    ]);
    let out = env.run(&[
        "verify",
        "pres.txt",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(SIGNATURE_ONLY));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "signature-only");
    assert_eq!(v["unchecked"].as_array().map(Vec::len), Some(4), "{v}");
    let disclosed = v["disclosed"].as_object().unwrap();
    let mut names: Vec<_> = disclosed.keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["familyName", "givenName", "nationality"]);
}

#[test]
fn another_audience_fails_the_audience_check() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.present(&id, "givenName", &nonce, "pres.txt");
    let (code, out) = env.verify("pres.txt", &nonce, "school.example");
    assert_eq!(code, INVALID, "{out}");
    assert!(check_line(&out, "audience").contains("FAIL"), "{out}");
    assert!(out.contains("AudienceMismatch"), "{out}");
    assert!(out.contains("VERDICT: INVALID"), "{out}");
    // And the wrong challenge fails the challenge check.
    let (code, out) = env.verify("pres.txt", "not-the-nonce", AUDIENCE);
    assert_eq!(code, INVALID, "{out}");
    assert!(check_line(&out, "challenge").contains("FAIL"), "{out}");
}

#[test]
fn replayed_presentation_fails_the_replay_check() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.present(&id, "givenName", &nonce, "pres.txt");
    let (code, out) = env.verify("pres.txt", &nonce, AUDIENCE);
    assert_eq!(code, SIGNATURE_ONLY, "{out}");
    let (code, out) = env.verify("pres.txt", &nonce, AUDIENCE);
    assert_eq!(code, INVALID, "{out}");
    assert!(check_line(&out, "replay").contains("FAIL"), "{out}");
    // A fresh presentation with the same nonce is a replay too.
    env.present(&id, "givenName", &nonce, "again.txt");
    let (code, out) = env.verify("again.txt", &nonce, AUDIENCE);
    assert_eq!(code, INVALID, "{out}");
    assert!(check_line(&out, "replay").contains("FAIL"), "{out}");
}

#[test]
fn tampered_presentation_fails() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.present(&id, "givenName,nationality", &nonce, "pres.txt");
    let original = std::fs::read_to_string(env.path("pres.txt")).unwrap();

    // A disclosure swapped for one claiming another nationality.
    let forged = URL_SAFE_NO_PAD.encode(br#"["c2FsdHNhbHRzYWx0c2FsdA","nationality","FRA"]"#);
    let mut pieces: Vec<String> = original.split('~').map(str::to_owned).collect();
    let n = pieces.len();
    pieces[n - 2] = forged;
    std::fs::write(env.path("forged.txt"), pieces.join("~")).unwrap();
    let (code, out) = env.verify("forged.txt", &nonce, AUDIENCE);
    assert_eq!(code, INVALID, "{out}");
    assert!(out.contains("VERDICT: INVALID"), "{out}");

    // One character of the issuer signature changed.
    let jwt_end = original.find('~').unwrap();
    let mut bytes = original.clone().into_bytes();
    let i = jwt_end - 3;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    std::fs::write(env.path("bad-sig.txt"), &bytes).unwrap();
    let (code, out) = env.verify("bad-sig.txt", &nonce, AUDIENCE);
    assert_eq!(code, INVALID, "{out}");
    assert!(
        check_line(&out, "issuer-signature").contains("FAIL"),
        "{out}"
    );
}

#[test]
fn wrong_passphrase_is_named_and_wallet_unchanged() {
    let (mut env, _, _) = Env::with_credential();
    let before = std::fs::read(env.wallet()).unwrap();
    env.passphrase = "wrong".into();
    // (`did` needs no passphrase: it reads the public identifier from the wallet's header.)
    for args in [
        &["list"][..],
        &["show", "0"],
        &["receive", "--file", "cred.json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("WrongPassphrase"), "{err}");
        assert_eq!(std::fs::read(env.wallet()).unwrap(), before);
    }
}

#[test]
fn truncated_wallet_is_named_corrupted() {
    let (env, _, _) = Env::with_credential();
    let bytes = std::fs::read(env.wallet()).unwrap();
    for len in [bytes.len() - 10, 40, 0] {
        std::fs::write(env.wallet(), &bytes[..len]).unwrap();
        let out = env.run(&["list"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Corrupted"), "{err}");
        assert_eq!(std::fs::read(env.wallet()).unwrap(), &bytes[..len]);
    }
    // The previous version is kept and still opens.
    let bak = PathBuf::from(format!("{}.bak", env.wallet().display()));
    std::fs::copy(&bak, env.wallet()).unwrap();
    assert!(env.ok(&["did"]).starts_with("did:key:z6Mk"));
}

fn phrase_of(init_output: &str) -> String {
    // Words are printed as "<n>. <word>".
    let tokens: Vec<&str> = init_output.split_whitespace().collect();
    tokens
        .windows(2)
        .filter(|w| w[0].ends_with('.') && w[0][..w[0].len() - 1].parse::<u8>().is_ok())
        .map(|w| w[1])
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn recover_from_the_phrase_gives_the_same_did() {
    let env = Env::new();
    let init = env.ok(&["init"]);
    let did = env.did();
    assert!(init.contains(&did));
    let phrase = phrase_of(&init);
    assert_eq!(phrase.split(' ').count(), 24, "{phrase}");
    // init refuses to overwrite.
    assert!(!env.run(&["init"]).status.success());

    let other = Env::new();
    let mut child = other
        .command(&["recover"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{phrase}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(other.did(), did);
}

#[test]
fn receive_rejects_a_credential_for_another_holder() {
    let (env, _, _) = Env::with_credential();
    let stranger = Env::new();
    stranger.ok(&["init"]);
    std::fs::copy(env.path("cred.json"), stranger.path("cred.json")).unwrap();
    let out = stranger.run(&["receive", "--file", "cred.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another holder"));
}

#[test]
fn qr_text_round_trip_and_png() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.ok(&[
        "present",
        "--yes",
        &id,
        "--profile",
        "border",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--qr-text",
        "qr.txt",
        "--qr-png",
        "qr.png",
    ]);
    // The compact framing by default: the border profile is one code.
    let text = std::fs::read_to_string(env.path("qr.txt")).unwrap();
    let n = text.lines().count();
    assert_eq!(n, 1, "{text}");
    assert!(text.starts_with("NS2:1/1:"), "{text}");
    let first = if n == 1 {
        env.path("qr.png")
    } else {
        env.path("qr-1.png")
    };
    assert!(std::fs::read(first).unwrap().starts_with(b"\x89PNG"));
    let out = env.run(&[
        "verify",
        "--qr-text",
        "qr.txt",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(SIGNATURE_ONLY), "{stdout}");
}

#[test]
fn verdict_is_translated() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.present(&id, "givenName", &nonce, "pres.txt");
    let out = env.run(&[
        "verify",
        "pres.txt",
        "--challenge",
        &nonce,
        "--audience",
        "other",
        "--lang",
        "fr",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("présentation INVALIDE"), "{text}");
    // The checks by their French names, the failed one named in the verdict too.
    assert!(
        text.lines()
            .any(|l| l.starts_with("destinataire") && l.contains("ÉCHEC")),
        "{text}"
    );
    assert!(text.contains("contrôle échoué : destinataire"), "{text}");
    // The failure's detail in French, its error kind kept as a code.
    assert!(
        text.contains("AudienceMismatch: le destinataire du lien de clé n'est pas ce vérificateur"),
        "{text}"
    );
    assert!(text.contains("signature de l'émetteur"), "{text}");
    let out = env
        .command(&[
            "verify",
            "pres.txt",
            "--challenge",
            &nonce,
            "--audience",
            "other",
        ])
        .env("LANG", "ar_SY.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("عرض غير صالح"), "{text}");
    assert!(text.contains("الجهة المستقبِلة"), "{text}");
    // Signature only (no ledger evidence), in each language: never the word for valid.
    for (lang, expected, valid, skipped) in [
        (
            "fr",
            "SIGNATURE SEULEMENT",
            "présentation VALIDE",
            "ni preuve du registre, ni nœud, ni fichier du registre",
        ),
        (
            "ar",
            "التوقيع فقط",
            "عرض صالح",
            "لا إثبات من السجل ولا عقدة ولا ملف سجل",
        ),
    ] {
        let nonce = env.challenge();
        let file = format!("pres-{lang}.txt");
        env.present(&id, "givenName", &nonce, &file);
        let out = env.run(&[
            "verify",
            &file,
            "--challenge",
            &nonce,
            "--audience",
            AUDIENCE,
            "--lang",
            lang,
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(SIGNATURE_ONLY), "{text}");
        let verdict = text.lines().last().unwrap_or_default();
        assert!(verdict.contains(expected), "{lang}: {text}");
        assert!(!verdict.contains(valid), "{lang}: {text}");
        // The skipped ledger checks say why in the language, not in English.
        assert!(text.contains(skipped), "{lang}: {text}");
        assert!(
            !text.contains("no ledger proof, node or ledger file"),
            "{lang}: {text}"
        );
    }
}

const BACKUP_PASSPHRASE: &str = "a different backup passphrase";

/// `nansen recover [extra]` with the phrase on standard input.
fn recover_with(env: &Env, phrase: &str, extra: &[&str]) -> Output {
    let mut args = vec!["recover"];
    args.extend_from_slice(extra);
    let mut child = env
        .command(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{phrase}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn backup(env: &Env, args: &[&str], passphrase: &str) -> Output {
    let mut all = vec!["backup"];
    all.extend_from_slice(args);
    env.command(&all)
        .env("NANSEN_BACKUP_PASSPHRASE", passphrase)
        .output()
        .unwrap()
}

fn assert_named_failure(out: &Output, name: &str) {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(name), "expected {name}: {err}");
}

#[test]
fn backup_export_then_recover_and_import_restores_the_credentials() {
    let (env, init, id) = Env::with_credential();
    let did = env.did();
    let out = backup(
        &env,
        &["export", "--out", "backup.nansen"],
        BACKUP_PASSPHRASE,
    );
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(env.path("backup.nansen")).unwrap();
    assert!(bytes.starts_with(b"NANSENB\0"));
    assert!(!bytes.windows(6).any(|w| w == b"Haddad"));

    // The device is lost: the wallet and its previous version are gone.
    std::fs::remove_file(env.wallet()).unwrap();
    let _ = std::fs::remove_file(format!("{}.bak", env.wallet().display()));
    let out = recover_with(&env, &phrase_of(&init), &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(env.did(), did);
    assert!(!env.ok(&["list"]).contains(&id));

    let out = backup(&env, &["import", "backup.nansen"], BACKUP_PASSPHRASE);
    assert!(out.status.success(), "{out:?}");
    let listed = env.ok(&["list"]);
    assert!(listed.contains(&id) && listed.contains("birth"), "{listed}");
    // The restored credential is usable: show works and a second import adds nothing.
    assert!(env.ok(&["show", &id]).contains("Haddad"));
    let out = backup(&env, &["import", "backup.nansen"], BACKUP_PASSPHRASE);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(env.ok(&["list"]).lines().count(), 1);
}

#[test]
fn backup_import_with_wrong_passphrase_or_damaged_file_changes_nothing() {
    let (env, init, _) = Env::with_credential();
    let out = backup(
        &env,
        &["export", "--out", "backup.nansen"],
        BACKUP_PASSPHRASE,
    );
    assert!(out.status.success(), "{out:?}");
    let fresh = Env::new();
    assert!(recover_with(&fresh, &phrase_of(&init), &[])
        .status
        .success());
    std::fs::copy(env.path("backup.nansen"), fresh.path("backup.nansen")).unwrap();
    let before = std::fs::read(fresh.wallet()).unwrap();

    let out = backup(&fresh, &["import", "backup.nansen"], "wrong passphrase");
    assert_named_failure(&out, "WrongBackupPassphrase");
    assert_eq!(std::fs::read(fresh.wallet()).unwrap(), before);

    let bytes = std::fs::read(fresh.path("backup.nansen")).unwrap();
    let mut flipped = bytes.clone();
    let i = flipped.len() - 5;
    flipped[i] ^= 0x40;
    for (name, damaged) in [
        ("flipped", flipped),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
    ] {
        std::fs::write(fresh.path(name), damaged).unwrap();
        let out = backup(&fresh, &["import", name], BACKUP_PASSPHRASE);
        assert_named_failure(&out, "BackupCorrupted");
        assert_eq!(std::fs::read(fresh.wallet()).unwrap(), before);
    }
    // A wallet file is not a backup.
    let out = backup(
        &fresh,
        &["import", fresh.wallet().to_str().unwrap()],
        BACKUP_PASSPHRASE,
    );
    assert_named_failure(&out, "BackupCorrupted");
    assert_eq!(std::fs::read(fresh.wallet()).unwrap(), before);
    assert!(fresh.ok(&["list"]).lines().all(|l| !l.contains("birth")));
}

#[test]
fn backup_of_another_holder_is_refused() {
    let (env, _, _) = Env::with_credential();
    let out = backup(
        &env,
        &["export", "--out", "backup.nansen"],
        BACKUP_PASSPHRASE,
    );
    assert!(out.status.success(), "{out:?}");
    let stranger = Env::new();
    stranger.ok(&["init"]);
    std::fs::copy(env.path("backup.nansen"), stranger.path("backup.nansen")).unwrap();
    let before = std::fs::read(stranger.wallet()).unwrap();
    let out = backup(&stranger, &["import", "backup.nansen"], BACKUP_PASSPHRASE);
    assert_named_failure(&out, "BackupOfAnotherHolder");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&env.did()));
    assert_eq!(std::fs::read(stranger.wallet()).unwrap(), before);
}

/// The numbered words of a recovery sheet's text, checking the numbering is 1..=24.
fn sheet_words(txt: &str) -> String {
    let mut words = Vec::new();
    for line in txt.lines() {
        let Some((n, w)) = line.trim().split_once(". ") else {
            continue;
        };
        if let Ok(n) = n.parse::<usize>() {
            assert_eq!(n, words.len() + 1, "{txt}");
            words.push(w.trim().to_owned());
        }
    }
    assert_eq!(words.len(), 24, "{txt}");
    words.join(" ")
}

fn assert_sane_png(path: PathBuf) {
    let bytes = std::fs::read(&path).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    // The code on top, the 24 numbered words below it.
    assert!(
        frame.height > frame.width,
        "{}x{}",
        frame.width,
        frame.height
    );
    assert!((200..=2000).contains(&frame.width), "{} px", frame.width);
    // Both black and white modules are there.
    let pixels = &buf[..frame.buffer_size()];
    assert!(pixels.contains(&0) && pixels.contains(&255));
}

#[test]
fn recovery_sheet_at_init_and_recover() {
    let env = Env::new();
    let init = env.ok(&["init", "--recovery-sheet", "sheet.png"]);
    let phrase = phrase_of(&init);
    assert_sane_png(env.path("sheet.png"));
    let txt = std::fs::read_to_string(env.path("sheet.txt")).unwrap();
    assert_eq!(sheet_words(&txt), phrase);
    assert!(txt.contains(&env.did()) && txt.contains("nansen recover"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("sheet.txt"))
            .unwrap()
            .permissions();
        assert_eq!(mode.mode() & 0o077, 0);
    }

    // recover writes the same words, normalized, whatever the case and spacing typed.
    let other = Env::new();
    let shouted = phrase.to_uppercase().replace(' ', "  ");
    let out = recover_with(&other, &shouted, &["--recovery-sheet", "again.png"]);
    assert!(out.status.success(), "{out:?}");
    assert_sane_png(other.path("again.png"));
    let txt = std::fs::read_to_string(other.path("again.txt")).unwrap();
    assert_eq!(sheet_words(&txt), phrase);

    // A new phone scans the printed sheet's QR code instead of typing the words.
    let third = Env::new();
    let copy = third.path("photo-of-sheet.png");
    std::fs::copy(env.path("sheet.png"), &copy).unwrap();
    third.ok(&["recover", "--sheet-image", "photo-of-sheet.png"]);
    assert_eq!(third.did(), env.did());
    // An image without a recovery code is refused by name and creates no wallet.
    let fourth = Env::new();
    std::fs::copy(env.path("sheet.txt"), fourth.path("not-an-image.png")).unwrap();
    let out = fourth
        .command(&["recover", "--sheet-image", "not-an-image.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NotAnImage"),
        "{out:?}"
    );
    assert!(!fourth.path("wallet.nansen").exists());

    let help = env.ok(&["init", "--help"]);
    assert!(
        help.contains("--recovery-sheet") && help.contains(".txt"),
        "{help}"
    );
}

/// The DID the JPEG fixture `tests/vectors/qr/holder-did.jpg` carries.
const FIXTURE_JPEG_DID: &str = "did:key:z6MketRnnacFJUFvgC73s65VBbT6ARb3UXdR35FVXQ5nSyvz";

fn numbered_pngs(env: &Env, stem: &str) -> Vec<String> {
    let mut names: Vec<String> = (1..=64)
        .map(|i| format!("{stem}-{i}.png"))
        .take_while(|n| env.path(n).exists())
        .collect();
    if names.is_empty() {
        names.push(format!("{stem}.png"));
    }
    names
}

#[test]
fn qr_images_carry_the_did_the_bundle_and_a_presentation_in_any_order() {
    let env = Env::new();
    env.ok(&["init"]);
    write_registrar_key(&env.path("registrar.key"), &env.passphrase);
    std::fs::write(env.path("claims.json"), CLAIMS).unwrap();

    // The holder shows the DID as a QR code; the registrar scans it and hands the bundle
    // over as QR codes (PNG and text) besides the file.
    let holder = env.ok(&["did", "--qr-png", "holder.png"]);
    assert_eq!(holder.trim(), env.did());
    let issued = env.ok(&[
        "issue",
        "--kind",
        "birth",
        "--claims",
        "claims.json",
        "--holder-qr",
        "holder.png",
        "--registrar-key",
        "registrar.key",
        "--out",
        "cred.json",
        "--qr-png",
        "cred.png",
        "--qr-text",
        "cred.qr",
    ]);
    let id = field(&issued, "id");
    let mut bundle_codes = numbered_pngs(&env, "cred");
    assert!(bundle_codes.len() > 1, "{bundle_codes:?}");
    let qr_lines = std::fs::read_to_string(env.path("cred.qr")).unwrap();
    assert_eq!(qr_lines.lines().count(), bundle_codes.len());

    // The holder scans them in any order.
    bundle_codes.reverse();
    let mut args = vec!["receive", "--qr-image"];
    args.extend(bundle_codes.iter().map(String::as_str));
    let received = env.ok(&args);
    assert!(received.contains(&id), "{received}");
    assert!(env.ok(&["list"]).contains(&id));

    // A presentation of every claim in the NS1 framing spans several codes; the verifier scans
    // them out of order.
    let nonce = env.challenge();
    env.ok(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName,familyName,birthDate,birthPlace,sex,nationality,registrationNumber,registrationDate",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--qr-png",
        "p.png",
        // The older framing, in codes of 1,000 characters: several.
        "--qr-framing",
        "ns1",
    ]);
    let mut codes = numbered_pngs(&env, "p");
    assert!(codes.len() > 1, "{codes:?}");
    codes.rotate_left(1);
    let mut args = vec!["verify", "--challenge", &nonce, "--audience", AUDIENCE];
    args.push("--qr-image");
    args.extend(codes.iter().map(String::as_str));
    let out = env.run(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(SIGNATURE_ONLY), "{stdout}");
    assert!(stdout.contains("Haddad"), "{stdout}");

    // A JPEG photo of a DID code (baseline JPEG fixture) works as --holder-qr too.
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/qr/holder-did.jpg"
    );
    env.ok(&[
        "issue",
        "--kind",
        "birth",
        "--claims",
        "claims.json",
        "--holder-qr",
        fixture,
        "--registrar-key",
        "registrar.key",
        "--out",
        "other.json",
    ]);
    let other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("other.json")).unwrap()).unwrap();
    assert_eq!(
        other["data_integrity"]["credentialSubject"]["id"],
        FIXTURE_JPEG_DID
    );
}

#[test]
fn qr_image_input_errors_are_named() {
    let env = Env::new();
    env.ok(&["init"]);
    // A PNG without a code.
    let mut blank = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut blank, 120, 120);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[255u8; 120 * 120]).unwrap();
    }
    std::fs::write(env.path("blank.png"), blank).unwrap();
    let out = env.run(&["receive", "--qr-image", "blank.png"]);
    assert_named_failure(&out, "NoQrCode");
    assert!(String::from_utf8_lossy(&out.stderr).contains("blank.png"));
    // Not an image at all.
    std::fs::write(env.path("notes.txt"), "not a picture").unwrap();
    let out = env.run(&[
        "verify",
        "--qr-image",
        "notes.txt",
        "--challenge",
        "c",
        "--audience",
        AUDIENCE,
    ]);
    assert_named_failure(&out, "NotAnImage");
    // A code that is not a DID, as --holder-qr.
    write_registrar_key(&env.path("registrar.key"), &env.passphrase);
    std::fs::write(env.path("claims.json"), CLAIMS).unwrap();
    env.ok(&["did", "--qr-png", "holder.png"]);
    let issue = |holder_qr: &str| {
        env.run(&[
            "issue",
            "--kind",
            "birth",
            "--claims",
            "claims.json",
            "--holder-qr",
            holder_qr,
            "--registrar-key",
            "registrar.key",
            "--out",
            "cred.json",
            "--qr-png",
            "cred.png",
        ])
    };
    assert_named_failure(&issue("blank.png"), "NoQrCode");
    assert!(issue("holder.png").status.success());
    assert_named_failure(&issue("cred-1.png"), "BadQrText");
    // Parts missing: named, and nothing is stored.
    let out = env.run(&["receive", "--qr-image", "cred-1.png"]);
    assert_named_failure(&out, "BadQrText");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
    assert!(env.ok(&["list"]).contains("no credentials"));
}

#[test]
fn data_integrity_presentation_verifies_and_each_failure_is_named() {
    let (env, _, id) = Env::with_credential();
    let present = |nonce: &str, out: &str| {
        let o = env.run(&[
            "present",
            "--yes",
            &id,
            "--form",
            "di",
            "--challenge",
            nonce,
            "--audience",
            AUDIENCE,
            "--out",
            out,
        ]);
        assert!(o.status.success(), "{o:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("full disclosure"));
    };
    let nonce = env.challenge();
    present(&nonce, "vp.json");
    let vp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("vp.json")).unwrap()).unwrap();
    assert_eq!(vp["proof"]["proofPurpose"], "authentication");
    assert_eq!(vp["proof"]["domain"], AUDIENCE);
    assert_eq!(vp["holder"], env.did().as_str());
    let (code, out) = env.verify("vp.json", &nonce, AUDIENCE);
    assert_eq!(code, SIGNATURE_ONLY, "{out}");
    assert!(out.contains("Haddad"), "{out}");
    for check in [
        "challenge",
        "audience",
        "freshness",
        "issuer-signature",
        "holder-binding",
    ] {
        assert!(check_line(&out, check).contains("PASS"), "{check}: {out}");
    }
    // Replay: the same presentation again.
    let (code, out) = env.verify("vp.json", &nonce, AUDIENCE);
    assert!(
        code == INVALID && check_line(&out, "replay").contains("FAIL"),
        "{out}"
    );

    let failing = |file: &str, nonce: &str, audience: &str, check: &str, name: &str| {
        let (code, out) = env.verify(file, nonce, audience);
        assert_eq!(code, INVALID, "{out}");
        let line = check_line(&out, check);
        assert!(
            line.contains("FAIL") && line.contains(name),
            "{check}/{name}: {out}"
        );
    };
    let nonce = env.challenge();
    present(&nonce, "vp2.json");
    failing(
        "vp2.json",
        "another-challenge",
        AUDIENCE,
        "challenge",
        "ChallengeMismatch",
    );
    failing(
        "vp2.json",
        &nonce,
        "school.example",
        "audience",
        "DomainMismatch",
    );
    // A changed claim: the issuer's signature no longer holds.
    let text = std::fs::read_to_string(env.path("vp2.json")).unwrap();
    std::fs::write(env.path("vp3.json"), text.replace("Haddad", "Hadad")).unwrap();
    failing(
        "vp3.json",
        &nonce,
        AUDIENCE,
        "issuer-signature",
        "InvalidSignature",
    );
    // The holder's proof re-pointed at another challenge is not signed for it.
    let other = text.replace(&nonce, "0123456789abcdef0123456789abcdef");
    std::fs::write(env.path("vp4.json"), other).unwrap();
    failing(
        "vp4.json",
        "0123456789abcdef0123456789abcdef",
        AUDIENCE,
        "holder-binding",
        "InvalidSignature",
    );
    // --claims does not apply to the full-disclosure form.
    let o = env.run(&[
        "present",
        "--yes",
        &id,
        "--form",
        "di",
        "--claims",
        "givenName",
        "--challenge",
        "c",
        "--audience",
        AUDIENCE,
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn claims_can_be_given_as_flags_instead_of_a_file() {
    let env = Env::new();
    env.ok(&["init"]);
    let holder = env.did();
    write_registrar_key(&env.path("registrar.key"), &env.passphrase);
    let flags = [
        "--claim",
        "givenName=Amal",
        "--claim",
        "familyName=Haddad",
        "--claim",
        "birthDate=2024-02-29",
        "--claim",
        "birthPlace=Zaatari camp, Mafraq",
        "--claim",
        "sex=female",
        "--claim",
        "registrationNumber=JO-ZA-2024-000123",
        "--claim",
        "registrationDate=2024-03-04",
    ];
    let issue = |out: &'static str, claims: &[&str]| -> Vec<String> {
        let mut args = vec![
            "issue",
            "--kind",
            "birth",
            "--holder",
            &holder,
            "--registrar-key",
            "registrar.key",
            "--out",
            out,
        ];
        args.extend_from_slice(claims);
        args.into_iter().map(str::to_owned).collect()
    };
    let args = issue("cred.json", &flags);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let issued = env.ok(&args);
    let id = field(&issued, "id");
    env.ok(&["receive", "--file", "cred.json"]);
    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("Zaatari camp, Mafraq"), "{shown}");

    // A flag without '=', a claim given twice, and both a file and flags are refused.
    for (extra, expected) in [
        (vec!["--claim", "givenName"], "expected NAME=VALUE"),
        (
            vec!["--claim", "sex=female", "--claim", "sex=male"],
            "given twice",
        ),
        (
            vec!["--claims", "x.json", "--claim", "sex=female"],
            "cannot be used with",
        ),
    ] {
        let args = issue("other.json", &extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
    }
    assert!(!env.path("other.json").exists());
}

/// A verification that stops before its verdict (a mistyped ledger file) does not spend the
/// challenge: the holder's retry is checked, not refused as a replay.
#[test]
fn an_error_before_the_verdict_leaves_the_challenge_unspent() {
    let (env, _, id) = Env::with_credential();
    let nonce = env.challenge();
    env.present(&id, "givenName", &nonce, "pres.txt");
    let out = env.run(&[
        "verify",
        "pres.txt",
        "--challenge",
        &nonce,
        "--audience",
        AUDIENCE,
        "--ledger",
        "no-such-ledger.cbor",
        "--genesis",
        "no-such-genesis.cbor",
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-genesis.cbor"));
    let (code, out) = env.verify("pres.txt", &nonce, AUDIENCE);
    assert_eq!(code, SIGNATURE_ONLY, "the retry must be checked: {out}");
    assert!(check_line(&out, "replay").contains("PASS"), "{out}");
}

/// Eight verifiers share one replay record at the same moment: every presentation is
/// accepted exactly once, and each is refused as a replay afterwards.
#[test]
fn concurrent_verifications_each_spend_their_challenge_exactly_once() {
    let (env, _, id) = Env::with_credential();
    let files: Vec<(String, String)> = (0..8)
        .map(|i| {
            let nonce = env.challenge();
            let file = format!("pres-{i}.txt");
            env.present(&id, "givenName", &nonce, &file);
            (file, nonce)
        })
        .collect();
    let verify_all = || -> Vec<(i32, String)> {
        let children: Vec<_> = files
            .iter()
            .map(|(file, nonce)| {
                env.command(&["verify", file, "--challenge", nonce, "--audience", AUDIENCE])
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        children
            .into_iter()
            .map(|c| {
                let out = c.wait_with_output().unwrap();
                (
                    out.status.code().unwrap_or(-1),
                    String::from_utf8_lossy(&out.stdout).into_owned(),
                )
            })
            .collect()
    };
    for (code, out) in verify_all() {
        assert_eq!(code, SIGNATURE_ONLY, "first verification: {out}");
    }
    for (code, out) in verify_all() {
        assert_eq!(code, INVALID, "a replay was accepted: {out}");
        assert!(check_line(&out, "replay").contains("FAIL"), "{out}");
    }
}

/// A verifier may receive a bare credential (the W3C VC alone): the same three verdicts,
/// worded for a credential, with no challenge; never "valid" without ledger evidence.
#[test]
fn a_bare_credential_gets_the_same_verdicts() {
    let (env, _, _) = Env::with_credential();
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("cred.json")).unwrap()).unwrap();
    let vc = &bundle["data_integrity"];
    std::fs::write(env.path("vc.json"), vc.to_string()).unwrap();
    let out = env.run(&["verify", "vc.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(SIGNATURE_ONLY), "{text}");
    assert!(
        check_line(&text, "issuer-signature").contains("PASS"),
        "{text}"
    );
    let verdict = text.lines().last().unwrap_or_default();
    assert!(
        verdict.contains("SIGNATURE ONLY") && verdict.contains("Not a valid credential"),
        "{text}"
    );
    assert!(
        text.contains("Haddad"),
        "a credential discloses every claim: {text}"
    );

    let mut forged = vc.clone();
    forged["credentialSubject"]["familyName"] = serde_json::json!("Someone");
    std::fs::write(env.path("forged-vc.json"), forged.to_string()).unwrap();
    let out = env.run(&["verify", "forged-vc.json", "--json"]);
    assert_eq!(out.status.code(), Some(INVALID));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "invalid");
    assert_eq!(v["form"], "credential");
    let failed: Vec<_> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["result"] == "fail")
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(failed, ["issuer-signature"], "{v}");

    // A presentation still needs the verifier's challenge.
    let nonce = env.challenge();
    let id = bundle["id"]
        .as_str()
        .unwrap()
        .trim_start_matches("urn:uuid:")
        .replace('-', "");
    env.present(&id, "givenName", &nonce, "pres.txt");
    let out = env.run(&["verify", "pres.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--challenge"));
}

/// A picture tiled with QR finder patterns, shown to the verifier's camera or file reader,
/// is answered by name at once: it cannot keep the border post busy.
#[test]
fn a_hostile_qr_image_is_refused_by_name_at_once() {
    let env = Env::new();
    let hostile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/qr/finder-tiles.png"
    );
    let mut child = env
        .command(&[
            "verify",
            "--qr-image",
            hostile,
            "--challenge",
            "c",
            "--audience",
            AUDIENCE,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Generous for a loaded debug build: the point is that it ends, not how fast.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("nansen verify was still searching the hostile image after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NoQrCode"), "{err}");
}

#[test]
fn the_holder_scans_the_verifiers_challenge_code_instead_of_typing_it() {
    let (env, _, id) = Env::with_credential();
    // The verifier: a challenge on standard output, and its code as a PNG.
    let printed = env.ok(&[
        "challenge",
        "--audience",
        AUDIENCE,
        "--qr-png",
        "challenge.png",
    ]);
    let nonce = printed.lines().next().unwrap_or_default().trim().to_owned();
    assert_eq!(nonce.len(), 32, "{printed}");
    // The holder: the challenge and audience come from the picture alone.
    env.ok(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName",
        "--challenge-qr",
        "challenge.png",
        "--out",
        "p.txt",
    ]);
    let (code, report) = env.verify("p.txt", &nonce, AUDIENCE);
    assert_eq!(code, SIGNATURE_ONLY, "{report}");
    for check in ["challenge", "audience", "holder-binding"] {
        assert!(check_line(&report, check).contains("PASS"), "{report}");
    }
    // The code names this verifier: another verifier's check of the same presentation fails.
    let (code, report) = env.verify("p.txt", &nonce, "another-post");
    assert_ne!(code, 0, "{report}");
    assert!(check_line(&report, "audience").contains("FAIL"), "{report}");

    // Not a challenge code (the holder's DID code), and --challenge with --challenge-qr.
    env.ok(&["did", "--qr-png", "did.png"]);
    let out = env.run(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName",
        "--challenge-qr",
        "did.png",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no challenge code"), "{err}");
    let out = env.run(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName",
        "--challenge-qr",
        "challenge.png",
        "--challenge",
        &nonce,
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn every_command_that_talks_to_a_node_takes_node_and_nansen_node() {
    let env = Env::new();
    for command in [
        "receive",
        "status",
        "present",
        "verify",
        "issue",
        "supersede",
        "revoke",
    ] {
        let out = env.run(&[command, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("--node <NODE>") && help.contains("[env: NANSEN_NODE="),
            "{command} --help:\n{help}"
        );
    }
    // The variable alone chooses the node: `receive` asks it (and names it when it cannot).
    let (env, _, _) = Env::with_credential();
    let out = env
        .command(&["receive", "cred.json"])
        .env("NANSEN_NODE", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("127.0.0.1:9"), "{err}");
}

#[test]
fn the_language_comes_from_language_and_a_missing_one_is_named_once() {
    let env = Env::new();
    let french = env
        .command(&["challenge", "--help"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANGUAGE", "de:fr")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&french.stdout);
    assert!(help.contains("Vérificateur"), "{help}");
    let german = env
        .command(&["--lang", "de", "challenge", "--audience", AUDIENCE])
        .output()
        .unwrap();
    assert!(german.status.success(), "{german:?}");
    let err = String::from_utf8_lossy(&german.stderr);
    assert_eq!(err.matches("\"de\" is not available").count(), 1, "{err}");
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}
