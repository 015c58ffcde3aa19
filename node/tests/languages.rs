//! `nansen-node` in French and Arabic, run as the real binary: the help of the program and of
//! a command (clap's own words included), a usage error with clap's suggestion, a user error
//! naming the node it could not reach, a command's output, and a language that is not
//! available named once.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_nansen-node");

/// Runs the binary with `args`, the locale variables cleared and then `env` set.
fn run(args: &[&str], env: &[(&str, &str)], cwd: &std::path::Path) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(cwd);
    for name in [
        "LANGUAGE",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "NANSEN_NODE",
        "NANSEN_API",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run nansen-node")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf8")
}

/// A loopback URL where nothing listens (a port just released).
fn silent_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn the_help_is_in_the_chosen_language_clap_s_words_included() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (args, env) in [
        (vec!["--lang", "fr", "--help"], vec![]),
        (vec!["--help"], vec![("LANGUAGE", "fr")]),
        (vec!["--help"], vec![("LANG", "fr_FR.UTF-8")]),
    ] {
        let out = run(&args, &env, d);
        assert!(out.status.success(), "{out:?}");
        let help = text(&out.stdout);
        for french in [
            "Utilisation",
            "Commandes",
            "Faire tourner un nœud",
            "Afficher l'aide.",
            "restent en anglais",
        ] {
            assert!(help.contains(french), "{french} ({env:?}): {help}");
        }
        for english in ["Usage:", "Print help", "Run a node"] {
            assert!(!help.contains(english), "{english}: {help}");
        }
    }
    let out = run(&["--lang", "ar", "--help"], &[], d);
    let help = text(&out.stdout);
    assert!(
        help.contains("الاستخدام") && help.contains("الأوامر") && help.contains("تشغيل عقدة"),
        "{help}"
    );
    // A command's help: its arguments, their defaults and variables.
    let out = run(&["--lang", "fr", "status", "--help"], &[], d);
    let help = text(&out.stdout);
    for french in [
        "Afficher les pairs",
        "L'API du nœud",
        "[variable : NANSEN_NODE]",
        "[par défaut : 0]",
    ] {
        assert!(help.contains(french), "{french}: {help}");
    }
    assert!(
        !help.contains("[env:") && !help.contains("[default:"),
        "{help}"
    );
    let out = run(&["run", "--help"], &[("LANGUAGE", "ar")], d);
    let help = text(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        help.contains("مجلد مخزن السجل") && help.contains("الخيارات"),
        "{help}"
    );
    // English stays the doc comments' words.
    let out = run(&["status", "--help"], &[], d);
    assert!(text(&out.stdout).contains("Show a node's peers"), "{out:?}");
}

#[test]
fn a_usage_error_is_told_in_the_language_with_the_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(&["--lang", "fr", "statsu"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let error = text(&out.stderr);
    assert!(
        error.contains("la commande « statsu » n'existe pas")
            && error.contains("suggestion : status"),
        "{error}"
    );
    let out = run(
        &["key", "generate", "--kind", "nod", "--out", "x"],
        &[("LANGUAGE", "ar")],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let error = text(&out.stderr);
    assert!(
        error.contains("خطأ") && error.contains("«nod»") && error.contains("node"),
        "{error}"
    );
}

#[test]
fn a_user_error_names_the_node_and_what_to_do_in_the_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = silent_url();
    let out = run(&["--lang", "fr", "status", "--node", &url], &[], dir.path());
    assert!(!out.status.success(), "{out:?}");
    let error = text(&out.stderr);
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    assert!(
        error.starts_with("erreur : impossible de joindre l'API du nœud à ")
            && error.contains(&url)
            && error.contains("--node URL ou NANSEN_NODE choisissent le nœud"),
        "{error}"
    );
    let out = run(
        &["status", "--node", &url],
        &[("LANGUAGE", "fr")],
        dir.path(),
    );
    assert!(
        text(&out.stderr).starts_with("erreur : impossible"),
        "{out:?}"
    );
    let out = run(&["--lang", "ar", "status", "--node", &url], &[], dir.path());
    let error = text(&out.stderr);
    // Right to left, the URL kept whole in its own isolate.
    assert!(error.starts_with('\u{2067}'), "{error:?}");
    assert!(error.contains("تعذّر الوصول إلى واجهة العقدة"), "{error}");
    assert!(
        error.contains(&format!("\u{2068}{url}\u{2069}")),
        "{error:?}"
    );
    // A command whose errors carry the client's inside their own (export): the same.
    let out = run(
        &["--lang", "fr", "export", "--node", &url, "--out", "x.cbor"],
        &[],
        dir.path(),
    );
    let error = text(&out.stderr);
    assert!(
        error.contains("impossible de joindre l'API du nœud à ")
            && error.contains(&url)
            && error.contains("NANSEN_NODE choisissent le nœud"),
        "{error}"
    );
    let out = run(&["status", "--node", &url], &[], dir.path());
    let error = text(&out.stderr);
    assert!(
        error.starts_with("error: cannot reach the node's API at ") && error.contains(&url),
        "{error}"
    );
}

#[test]
fn a_command_s_output_is_in_the_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let env = [(
        "NANSEN_PASSPHRASE",
        "correct horse battery staple, languages",
    )];
    let out = run(
        &[
            "--lang",
            "fr",
            "key",
            "generate",
            "--kind",
            "governance",
            "--out",
            "g.key",
        ],
        &env,
        d,
    );
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).starts_with("clé publique "), "{out:?}");
    let out = run(&["key", "show", "g.key"], &[("LANGUAGE", "ar")], d);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("المفتاح العام") && shown.contains("الالتزام"),
        "{shown}"
    );
    // Refused in French: the key file is there already.
    let out = run(
        &[
            "--lang",
            "fr",
            "key",
            "generate",
            "--kind",
            "governance",
            "--out",
            "g.key",
        ],
        &env,
        d,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("existe ; une clé n'est jamais remplacée"),
        "{out:?}"
    );
    // A value the ledger refuses, in French.
    let public = text(&run(&["key", "show", "--public", "g.key"], &[], d).stdout);
    let out = run(
        &[
            "--lang",
            "fr",
            "genesis",
            "create",
            "--name",
            "languages",
            "--governance-key",
            public.trim(),
            "--threshold",
            "2",
            "--out",
            "genesis.cbor",
        ],
        &[],
        d,
    );
    assert!(!out.status.success(), "{out:?}");
    assert!(
        text(&out.stderr).contains("le seuil de gouvernance 2 n'est pas entre 1 et 1"),
        "{out:?}"
    );
    assert!(!d.join("genesis.cbor").exists());
}

#[test]
fn a_configuration_error_is_told_in_the_language_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data_text = data.display().to_string();
    let args = [
        "run",
        "--data-dir",
        &data_text,
        "--genesis",
        "genesis.cbor",
        "--cosign-secs",
        "0",
    ];
    let out = run(&args, &[("LANGUAGE", "fr")], dir.path());
    assert!(!out.status.success(), "{out:?}");
    let error = text(&out.stderr);
    assert!(
        error.contains(
            "erreur : réglage cosign_secs invalide : doit être un nombre positif de secondes"
        ),
        "{error}"
    );
    let mut bootstrap = args.to_vec();
    bootstrap.truncate(5);
    bootstrap.extend(["--bootstrap", "/ip4/127.0.0.1/tcp/4100"]);
    let out = run(&bootstrap, &[("LANGUAGE", "ar")], dir.path());
    let error = text(&out.stderr);
    assert!(
        error.contains("ينقص") && error.contains("/ip4/127.0.0.1/tcp/4100"),
        "{error}"
    );
    assert!(!data.exists(), "a refused start writes nothing");
}

#[test]
fn a_language_not_available_is_named_once_and_english_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        &["--lang", "de", "key", "show", "missing.key"],
        &[],
        dir.path(),
    );
    assert!(!out.status.success());
    let error = text(&out.stderr);
    let named =
        "nansen-node: language \"de\" is not available; using English (available: en, fr, ar)";
    assert_eq!(error.matches(named).count(), 1, "{error}");
    assert!(error.contains("error: key file I/O"), "{error}");
    let out = run(&["--help"], &[("LANGUAGE", "de")], dir.path());
    assert_eq!(
        text(&out.stderr)
            .matches("language \"de\" is not available")
            .count(),
        1,
        "{out:?}"
    );
    assert!(text(&out.stdout).contains("Usage:"), "{out:?}");
}

/// The English of the system and of the parsers that must not reach a French or Arabic
/// message. (toml's own words on what is wrong, `string values must be quoted`, `unknown
/// field ..., expected one of ...`, are kept as the detail after the translated sentence:
/// they say what no sentence of ours could; its "TOML parse error" heading and drawing are
/// not.)
const ENGLISH_CAUSES: &[&str] = &[
    "os error",
    "No such file",
    "Not a directory",
    "Connection refused",
    "TOML parse error",
    "invalid multiaddr",
    "EOF while parsing",
    "malformed CBOR",
    "invalid type",
    "expected value",
];

#[test]
fn system_and_parser_causes_are_told_in_the_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // Cases that fail as root too: a path through a regular file, a missing file, files
    // that are not what they should be.
    std::fs::write(d.join("regular"), "not a folder").expect("write");
    std::fs::write(d.join("bad.toml"), "data_dir = \n").expect("write");
    std::fs::write(d.join("cut.cbor"), [0xa3, 0x01]).expect("write");
    std::fs::write(d.join("words.key"), "hello").expect("write");
    let url = silent_url();
    let pass = [("NANSEN_PASSPHRASE", "correct horse battery staple")];
    // (arguments, the French words, the Arabic words)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["run", "--data-dir", "regular/data", "--genesis", "g.cbor"],
            "création de regular/data : une partie du chemin est un fichier, pas un dossier",
            "جزء من المسار ملف وليس مجلدًا",
        ),
        (
            &["run", "--config", "missing.toml"],
            "lecture de missing.toml : fichier ou dossier introuvable",
            "الملف أو المجلد غير موجود",
        ),
        (
            &["run", "--config", "bad.toml"],
            "le fichier de réglages bad.toml est illisible à la ligne 1, colonne 12",
            "تعذّرت قراءة ملف الإعدادات",
        ),
        (
            &[
                "run",
                "--data-dir",
                "data",
                "--genesis",
                "g.cbor",
                "--listen",
                "garbage",
            ],
            "\"garbage\" n'est pas une adresse libp2p",
            "ليس عنوان libp2p",
        ),
        (
            &[
                "run",
                "--data-dir",
                "data",
                "--key",
                "words.key",
                "--genesis",
                "cut.cbor",
            ],
            "ce n'est pas du JSON (ligne 1, colonne 1)",
            "ليس JSON",
        ),
        (
            &["key", "show", "words.key"],
            "ce n'est pas du JSON (ligne 1, colonne 1)",
            "ليس JSON",
        ),
        (
            &["status", "--node", &url],
            "connexion refusée (rien n'écoute à cette adresse)",
            "رُفض الاتصال",
        ),
    ];
    let check = |lang: &str, args: &[&str], words: &str| {
        let mut all = vec!["--lang", lang];
        all.extend_from_slice(args);
        let out = run(&all, &pass, d);
        assert!(!out.status.success(), "{args:?}: {out:?}");
        let error = text(&out.stderr);
        assert_eq!(error.trim_end().lines().count(), 1, "one line: {error}");
        assert!(
            error.contains(words),
            "{lang} {args:?}: {words:?} in {error}"
        );
        for english in ENGLISH_CAUSES {
            assert!(
                !error.contains(english),
                "{lang} {args:?}: {english:?} in {error}"
            );
        }
        error
    };
    for (args, french, arabic) in cases {
        let fr = check("fr", args, french);
        assert!(fr.starts_with("erreur : "), "{fr}");
        let ar = check("ar", args, arabic);
        assert!(ar.starts_with('\u{2067}'), "{ar:?}");
    }
    // A genesis file cut short, with a node key that reads: the file and the byte are named.
    let key = run(
        &["key", "generate", "--kind", "node", "--out", "node.key"],
        &pass,
        d,
    );
    assert!(key.status.success(), "{key:?}");
    let args = [
        "run",
        "--data-dir",
        "data",
        "--key",
        "node.key",
        "--genesis",
        "cut.cbor",
    ];
    check(
        "fr",
        &args,
        "le fichier genesis cut.cbor n'est pas un document genesis : il se termine trop tôt (octet 2)",
    );
    check("ar", &args, "ينتهي قبل أوانه");
    // A governance draft that is not one: the byte where reading stopped.
    std::fs::write(d.join("cut.draft"), [0xa3, 0x01]).expect("write");
    std::fs::write(d.join("odd.draft"), [0xa3, 0x01, 0x02]).expect("write");
    let args = ["governance", "sign", "--key", "node.key", "cut.draft"];
    check("fr", &args, "projet : il se termine trop tôt (octet 2)");
    check("ar", &args, "المسودة");
    let args = ["governance", "sign", "--key", "node.key", "odd.draft"];
    check("fr", &args, "projet : son CBOR n'a pas la forme attendue");
    assert!(
        !d.join("data").join("store").exists(),
        "a refused start made no store"
    );
}

/// A genesis document of one governance key, written to `dir/name` with `nansen-node`.
fn genesis(dir: &std::path::Path, network: &str, name: &str) {
    let key = format!("{name}.key");
    let env = [("NANSEN_PASSPHRASE", "correct horse battery staple")];
    let out = run(
        &["key", "generate", "--kind", "governance", "--out", &key],
        &env,
        dir,
    );
    assert!(out.status.success(), "{out:?}");
    let public = text(&run(&["key", "show", "--public", &key], &[], dir).stdout);
    let out = run(
        &[
            "genesis",
            "create",
            "--name",
            network,
            "--governance-key",
            public.trim(),
            "--threshold",
            "1",
            "--out",
            name,
        ],
        &[],
        dir,
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn start_errors_an_operator_meets_are_told_in_the_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    genesis(d, "camp-a", "a.cbor");
    genesis(d, "camp-b", "b.cbor");
    std::fs::write(
        d.join("witnesses.toml"),
        "data_dir = \"one\"\ngenesis = \"a.cbor\"\napi_listen = \"127.0.0.1:0\"\n\
         trusted_witnesses = [\"not-a-key\"]\n",
    )
    .expect("write");
    let pass = [("NANSEN_PASSPHRASE", "correct horse battery staple")];
    // A port held by this test, for the API and then for the peer-to-peer listener. The first
    // case makes the store of network a in `one` before its API port is refused, so that
    // the last finds another network's ledger there.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let api_taken = format!("127.0.0.1:{port}");
    let p2p_taken = format!("/ip4/127.0.0.1/tcp/{port}");
    // Each: arguments, the French words, the Arabic words.
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec![
                "run",
                "--data-dir",
                "one",
                "--genesis",
                "a.cbor",
                "--api",
                &api_taken,
            ],
            "impossible d'écouter sur 127.0.0.1:",
            "تعذّر الاستماع على",
        ),
        (
            vec![
                "run",
                "--data-dir",
                "two",
                "--genesis",
                "a.cbor",
                "--api",
                "127.0.0.1:0",
                "--listen",
                &p2p_taken,
            ],
            "impossible d'écouter sur /ip4/127.0.0.1/tcp/",
            "تعذّر الاستماع على",
        ),
        (
            vec!["run", "--config", "witnesses.toml"],
            "\"not-a-key\" n'est pas une clé de témoin",
            "ليس مفتاح شاهد",
        ),
        (
            vec!["run", "--data-dir", "one", "--genesis", "b.cbor"],
            "ce dossier de données contient le registre d'un autre réseau",
            "يحوي مجلد البيانات هذا سجلّ شبكة أخرى",
        ),
    ];
    for (args, french, arabic) in &cases {
        for (lang, words) in [("fr", french), ("ar", arabic)] {
            let mut all = vec!["--lang", lang];
            all.extend_from_slice(args);
            let out = run(&all, &pass, d);
            assert!(!out.status.success(), "{all:?}: {out:?}");
            let error = text(&out.stderr);
            let last = error.trim_end().lines().last().unwrap_or_default();
            assert!(last.contains(words), "{all:?}: {words:?} in {error}");
            for english in ENGLISH_CAUSES.iter().chain(&[
                "Address already in use",
                "cannot listen",
                "another network",
                "is not a witness key",
            ]) {
                assert!(!last.contains(english), "{all:?}: {english:?} in {error}");
            }
        }
    }
    drop(taken);
}
