//! `nansen` in French and Arabic, run as the real binary, with bad input of the README's
//! guides (a file that is missing, a folder where a file is expected, a path through a
//! regular file, a bundle or claims file that is not JSON, a registrar key file that is not a
//! key file): the system's and the parsers' English words never reach the person, the
//! translated ones do, and the error's name (`Io:`, `Usage:`) stays for the tools that search
//! for it. Every case fails as root too (no permission bits relied on).

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_nansen");

/// Claims a birth credential accepts.
const CLAIMS: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"2024-02-29",
"birthPlace":"Zaatari camp, Mafraq","sex":"female","nationality":"SYR",
"registrationNumber":"JO-ZA-2024-000123","registrationDate":"2024-03-04"}"#;

/// The English of the system and of serde_json that must not appear in a French or Arabic
/// message.
const ENGLISH: &[&str] = &[
    "os error",
    "No such file",
    "Is a directory",
    "Not a directory",
    "EOF while parsing",
    "expected value",
    "wallet I/O error",
    "key file I/O",
    "not JSON",
    "no wallet at",
    "already exists at",
    "the backup folder",
];

/// Runs `nansen --lang LANG ARGS` in `dir` with a wallet there and the passphrase given.
fn nansen(lang: &str, dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("--lang")
        .arg(lang)
        .arg("--wallet")
        .arg(dir.join("wallet.nansen"))
        .args(args)
        .current_dir(dir)
        .env("NANSEN_PASSPHRASE", "correct horse battery staple")
        .env(
            "NANSEN_REGISTRAR_PASSPHRASE",
            "correct horse battery staple",
        )
        .env("NANSEN_KDF_MEMORY_KIB", "64")
        .env("NANSEN_KDF_ITERATIONS", "1");
    for name in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "NANSEN_NODE"] {
        command.env_remove(name);
    }
    command.output().expect("run nansen")
}

/// The error line of a run that must fail, checked free of English causes.
fn failure(lang: &str, dir: &Path, args: &[&str]) -> String {
    let out = nansen(lang, dir, args);
    assert!(!out.status.success(), "{args:?} succeeded: {out:?}");
    let error = String::from_utf8(out.stderr).expect("utf8");
    for english in ENGLISH {
        assert!(
            !error.contains(english),
            "{lang} {args:?}: {english:?} in {error}"
        );
    }
    assert_eq!(error.trim_end().lines().count(), 1, "one line: {error}");
    error
}

#[test]
fn file_and_json_causes_are_told_in_french_and_arabic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("regular"), "not a folder").expect("write");
    std::fs::write(d.join("cut.json"), "{\"givenName\":\n").expect("write");
    std::fs::write(d.join("words.txt"), "hello").expect("write");
    std::fs::create_dir(d.join("folder")).expect("mkdir");
    std::fs::write(d.join("claims.json"), CLAIMS).expect("write");

    // (arguments, the French words, the Arabic words, the error's name)
    let cases: &[(&[&str], &str, &str, &str)] = &[
        (
            &["verify", "missing.txt"],
            "fichier ou dossier introuvable",
            "الملف أو المجلد غير موجود",
            "Io: ",
        ),
        (
            &["verify", "folder"],
            "c'est un dossier, pas un fichier",
            "هذا مجلد وليس ملفًا",
            "Io: ",
        ),
        (
            &["did", "--qr-png", "regular/did.png"],
            "une partie du chemin est un fichier, pas un dossier",
            "جزء من المسار ملف وليس مجلدًا",
            "Io: ",
        ),
        (
            &["receive", "cut.json"],
            "le JSON se termine trop tôt (ligne 2, colonne 0)",
            "ينتهي JSON قبل اكتماله",
            "CredentialRejected: ",
        ),
        (
            &["receive", "words.txt"],
            "ce n'est pas du JSON (ligne 1, colonne 1)",
            "ليس JSON",
            "CredentialRejected: ",
        ),
        (
            &[
                "issue",
                "--kind",
                "birth",
                "--claims",
                "cut.json",
                "--holder",
                "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                "--registrar-key",
                "words.txt",
                "--out",
                "bundle.json",
            ],
            "le fichier d'informations cut.json est illisible",
            "تعذّرت قراءة ملف البيانات",
            "Usage: ",
        ),
        (
            &[
                "issue",
                "--kind",
                "birth",
                "--claims",
                "claims.json",
                "--holder",
                "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                "--registrar-key",
                "words.txt",
                "--out",
                "bundle.json",
            ],
            "ce n'est pas un fichier de clé Nansen : ce n'est pas du JSON",
            "ليس ملف مفتاح نانسن",
            "Usage: ",
        ),
    ];
    // A wallet to receive into (the first command that needs one).
    let init = nansen("en", d, &["init"]);
    assert!(init.status.success(), "{init:?}");
    for (args, french, arabic, name) in cases {
        let fr = failure("fr", d, args);
        assert!(fr.starts_with("Erreur : "), "{args:?}: {fr}");
        assert!(fr.contains(name), "{args:?}: the name {name} in {fr}");
        assert!(fr.contains(french), "{args:?}: {french:?} in {fr}");
        let ar = failure("ar", d, args);
        assert!(
            ar.starts_with('\u{2067}') && ar.contains("خطأ"),
            "{args:?}: {ar:?}"
        );
        assert!(ar.contains(name), "{args:?}: the name {name} in {ar}");
        assert!(ar.contains(arabic), "{args:?}: {arabic:?} in {ar}");
    }
    assert!(!d.join("bundle.json").exists(), "nothing was issued");

    // The wallet's and the backup's own errors.
    for (args, french, arabic, name) in [
        (
            &["init"][..],
            "un portefeuille existe déjà à",
            "توجد محفظة مسبقًا",
            "AlreadyExists: ",
        ),
        (
            &["backup", "auto", "--dir", "no-stick"],
            "le dossier de sauvegarde no-stick est absent",
            "مجلد النسخة الاحتياطية",
            "BackupFolderMissing: ",
        ),
    ] {
        let fr = failure("fr", d, args);
        assert!(fr.contains(name) && fr.contains(french), "{fr}");
        let ar = failure("ar", d, args);
        assert!(ar.contains(name) && ar.contains(arabic), "{ar}");
    }

    // A wallet file that cannot be reached: the wallet's own I/O error, translated.
    let out = Command::new(BIN)
        .args(["--lang", "fr", "--wallet", "regular/wallet.nansen", "list"])
        .current_dir(d)
        .env("NANSEN_PASSPHRASE", "correct horse battery staple")
        .output()
        .expect("run");
    let error = String::from_utf8(out.stderr).expect("utf8");
    assert!(
        error.starts_with("Erreur : Io: regular/wallet.nansen : une partie du chemin"),
        "{error}"
    );

    // English keeps the same structure, in English words of ours.
    let en = nansen("en", d, &["verify", "missing.txt"]);
    let error = String::from_utf8(en.stderr).expect("utf8");
    assert!(
        error.starts_with("Error: Io: missing.txt: no such file or folder"),
        "{error}"
    );
}

/// The English sentences of bad input (`Error: Usage: ...`) that must not appear in a French
/// or Arabic message.
const ENGLISH_USAGE: &[&str] = &[
    "no credential",
    "expected NAME=VALUE",
    "unknown profile",
    "presentation is not UTF-8",
    "needs --registrar",
    "registrar key file",
    "wrong passphrase",
    "the file holds a",
];

#[test]
fn bad_input_and_key_files_are_told_in_french_and_arabic() {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let pass = "correct horse battery staple";
    write_key_file(
        &d.join("registrar.key"),
        KeyKind::Registrar,
        &[0x11; 32],
        pass,
    )
    .expect("registrar key");
    write_key_file(
        &d.join("other-pass.key"),
        KeyKind::Registrar,
        &[0x11; 32],
        "another passphrase entirely",
    )
    .expect("key under another passphrase");
    write_key_file(&d.join("node.key"), KeyKind::Node, &[0x22; 32], pass).expect("node key");
    std::fs::write(d.join("claims.json"), CLAIMS).expect("write");
    std::fs::write(d.join("latin1.txt"), b"pr\xe9sentation").expect("write");

    // A wallet holding one credential, and a challenge to present it to.
    let ok = |args: &[&str]| {
        let out = nansen("en", d, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf8")
    };
    ok(&["init"]);
    let holder = ok(&["did"]).trim().to_owned();
    let issue = |key: &'static str| {
        vec![
            "issue".to_owned(),
            "--kind".into(),
            "birth".into(),
            "--claims".into(),
            "claims.json".into(),
            "--holder".into(),
            holder.clone(),
            "--registrar-key".into(),
            key.into(),
            "--out".into(),
            "cred.json".into(),
        ]
    };
    let issued = ok(&issue("registrar.key")
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    let id = issued
        .lines()
        .find_map(|l| l.strip_prefix("id="))
        .expect("the id of the credential issued")
        .to_owned();
    ok(&["receive", "--file", "cred.json"]);
    std::fs::remove_file(d.join("cred.json")).expect("rm");
    let challenge = ok(&["challenge", "--audience", "border.example"])
        .trim()
        .to_owned();

    let with = |base: Vec<String>, more: &[&str]| -> Vec<String> {
        let mut args = base;
        args.extend(more.iter().map(|a| (*a).to_owned()));
        args
    };
    let own = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    // (arguments, the French words, the Arabic words)
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            own(&["show", "0123abcd"]),
            "aucune attestation 0123abcd",
            "لا توجد وثيقة",
        ),
        (
            own(&[
                "issue",
                "--kind",
                "birth",
                "--claim",
                "givenName",
                "--holder",
                &holder,
                "--registrar-key",
                "registrar.key",
                "--out",
                "cred.json",
            ]),
            "NOM=VALEUR attendu",
            "المتوقع NAME=VALUE",
        ),
        (
            own(&[
                "present",
                "--yes",
                &id,
                "--profile",
                "nosuch",
                "--challenge",
                &challenge,
                "--audience",
                "border.example",
                "--out",
                "vp.txt",
            ]),
            "profil inconnu nosuch",
            "ملف تعريف غير معروف",
        ),
        (
            own(&["verify", "latin1.txt"]),
            "la présentation n'est pas en UTF-8",
            "العرض ليس بترميز UTF-8",
        ),
        (
            with(
                issue("registrar.key"),
                &["--node", "http://127.0.0.1:9", "--jurisdiction", "JO"],
            ),
            "--node exige --registrar",
            "يتطلب --node الخيار --registrar",
        ),
        (
            issue("other-pass.key"),
            "fichier de clé de l'officier d'état civil other-pass.key : mauvaise phrase de passe, \
             ou fichier de clé modifié",
            "عبارة مرور خاطئة، أو أن ملف المفتاح عُدِّل",
        ),
        (
            issue("node.key"),
            "le fichier contient une clé node, pas une clé registrar",
            "يحتوي الملف على مفتاح",
        ),
    ];
    for (args, french, arabic) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let fr = failure("fr", d, &args);
        let ar = failure("ar", d, &args);
        for english in ENGLISH_USAGE {
            assert!(!fr.contains(english), "{args:?}: {english:?} in {fr}");
            assert!(!ar.contains(english), "{args:?}: {english:?} in {ar}");
        }
        assert!(fr.starts_with("Erreur : Usage: "), "{args:?}: {fr}");
        assert!(fr.contains(french), "{args:?}: {french:?} in {fr}");
        assert!(
            ar.starts_with('\u{2067}') && ar.contains("خطأ") && ar.contains("Usage: "),
            "{args:?}: {ar:?}"
        );
        assert!(ar.contains(arabic), "{args:?}: {arabic:?} in {ar}");
        // English keeps its words and the same name.
        let en = nansen("en", d, &args);
        let en = String::from_utf8(en.stderr).expect("utf8");
        assert!(en.starts_with("Error: Usage: "), "{args:?}: {en}");
    }
    assert!(!d.join("cred.json").exists(), "nothing was issued");
    assert!(!d.join("vp.txt").exists(), "nothing was presented");

    // `status` of a credential against a node that does not answer: the line of that
    // credential names the error and tells it in the run's language.
    let fr = failure("fr", d, &["status", &id, "--node", "http://127.0.0.1:9"]);
    assert!(
        fr.starts_with(&format!(
            "Erreur : le statut de {id} n'a pas pu être vérifié : LedgerUnavailable: "
        )),
        "{fr}"
    );
    assert!(
        !fr.contains("Connection refused") && !fr.contains("unreachable"),
        "{fr}"
    );
}

#[test]
fn refusals_of_bundles_phrases_and_images_are_told_in_french_and_arabic() {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let pass = "correct horse battery staple";
    write_key_file(
        &d.join("registrar.key"),
        KeyKind::Registrar,
        &[0x11; 32],
        pass,
    )
    .expect("registrar key");
    std::fs::write(d.join("claims.json"), CLAIMS).expect("write");
    std::fs::write(d.join("words.txt"), "hello").expect("write");
    let init = nansen("en", d, &["init"]);
    assert!(init.status.success(), "{init:?}");
    // A credential issued to another holder.
    let issued = nansen(
        "en",
        d,
        &[
            "issue",
            "--kind",
            "birth",
            "--claims",
            "claims.json",
            "--holder",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "--registrar-key",
            "registrar.key",
            "--out",
            "stranger.json",
        ],
    );
    assert!(issued.status.success(), "{issued:?}");

    // (arguments, the French words, the Arabic words, the English words, the error's name)
    let cases: &[(&[&str], &str, &str, &str, &str)] = &[
        (
            &["receive", "--file", "stranger.json"],
            "attestation refusée : l'attestation est destinée à un autre titulaire",
            "رُفضت الوثيقة: الوثيقة لحامل آخر",
            "the credential is for another holder",
            "CredentialRejected: ",
        ),
        (
            &["verify", "--qr-image", "words.txt"],
            "words.txt : ce n'est pas une image PNG ou JPEG lisible",
            "ليست صورة PNG أو JPEG مقروءة",
            "not a readable PNG or JPEG image",
            "NotAnImage: ",
        ),
    ];
    for (args, french, arabic, english, name) in cases {
        let fr = failure("fr", d, args);
        assert!(fr.starts_with("Erreur : "), "{args:?}: {fr}");
        assert!(fr.contains(name) && fr.contains(french), "{args:?}: {fr}");
        assert!(!fr.contains(english), "{args:?}: {english:?} in {fr}");
        let ar = failure("ar", d, args);
        assert!(ar.contains(name) && ar.contains(arabic), "{args:?}: {ar}");
        assert!(!ar.contains(english), "{args:?}: {english:?} in {ar}");
        let en = nansen("en", d, args);
        let en = String::from_utf8(en.stderr).expect("utf8");
        assert!(
            en.starts_with(&format!("Error: {name}")) && en.contains(english),
            "{args:?}: {en}"
        );
    }

    // A recovery phrase of three words, on standard input.
    for (lang, words) in [
        (
            "fr",
            "phrase de récupération invalide : 3 mots, 24 attendus",
        ),
        ("ar", "عبارة استرداد غير صالحة"),
        ("en", "invalid recovery phrase: 3 words, expected 24"),
    ] {
        let mut child = Command::new(BIN)
            .args(["--lang", lang, "--wallet"])
            .arg(d.join("recovered.nansen"))
            .arg("recover")
            .current_dir(d)
            .env("NANSEN_PASSPHRASE", pass)
            .env("NANSEN_KDF_MEMORY_KIB", "64")
            .env("NANSEN_KDF_ITERATIONS", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run nansen recover");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"abandon abandon about\n")
            .expect("write the phrase");
        let out = child.wait_with_output().expect("wait");
        assert!(!out.status.success(), "{out:?}");
        let error = String::from_utf8(out.stderr).expect("utf8");
        assert!(
            error.contains("InvalidRecoveryPhrase: ") && error.contains(words),
            "{lang}: {error}"
        );
        if lang != "en" {
            assert!(!error.contains("invalid recovery phrase"), "{error}");
        }
    }
    assert!(!d.join("recovered.nansen").exists(), "no wallet was made");
}
