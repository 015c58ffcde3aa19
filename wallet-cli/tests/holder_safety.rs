//! The holder's and registrar's safety, with the real `nansen` binary: concurrent `receive`s
//! lose nothing, weak passphrases are refused, commands without a terminal name the variable
//! to set, `did` needs no passphrase, the recovery phrase is read as the sheet writes it,
//! files with personal data are private and never overwritten without `--force`, and a closed
//! output pipe ends a command quietly.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const PASSPHRASE: &str = "correct horse battery staple";
const CLAIMS: &str = r#"{"givenName":"Amal","familyName":"Haddad","birthDate":"2024-02-29",
"birthPlace":"Zaatari camp, Mafraq","sex":"female","nationality":"SYR",
"registrationNumber":"JO-ZA-2024-000123","registrationDate":"2024-03-04"}"#;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        write_registrar_key(&env.path("registrar.key"), PASSPHRASE);
        std::fs::write(env.path("claims.json"), CLAIMS).expect("write claims");
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn wallet(&self) -> PathBuf {
        self.path("wallet.nansen")
    }

    /// `nansen ARGS` in this directory, with the wallet's passphrase and a cheap KDF.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_nansen"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("NANSEN_WALLET", self.wallet())
            .env("NANSEN_PASSPHRASE", PASSPHRASE)
            .env("NANSEN_KDF_MEMORY_KIB", "64")
            .env("NANSEN_KDF_ITERATIONS", "1")
            .env("NANSEN_VERIFIER_DIR", self.path("verifier"))
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("NANSEN_BACKUP_PASSPHRASE")
            .env_remove("NANSEN_REGISTRAR_PASSPHRASE")
            .env_remove("NANSEN_NODE")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run nansen")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "nansen {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Issues a birth credential for `holder` into `out`; returns its id.
    fn issue(&self, holder: &str, out: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "issue",
            "--kind",
            "birth",
            "--claims",
            "claims.json",
            "--holder",
            holder,
            "--registrar-key",
            "registrar.key",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        field(&self.ok(&args), "id")
    }

    fn did(&self) -> String {
        self.ok(&["did"]).trim().to_owned()
    }
}

fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in {output}"))
        .to_owned()
}

/// The command runs in a new session, so it has no controlling terminal: as under a service
/// manager, in CI or from a script started without one.
fn without_terminal(c: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt as _;
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        c.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_named_failure(out: &Output, name: &str) {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(out).contains(name), "expected {name}: {out:?}");
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn phrase_of(init_output: &str) -> Vec<String> {
    let tokens: Vec<&str> = init_output.split_whitespace().collect();
    tokens
        .windows(2)
        .filter(|w| w[0].ends_with('.') && w[0][..w[0].len() - 1].parse::<u8>().is_ok())
        .map(|w| w[1].to_owned())
        .collect()
}

/// `nansen recover` with standard input read from a file, as `nansen recover < phrase.txt`.
fn recover_from_file(env: &Env, text: &str, c: impl FnOnce(&mut Command)) -> Output {
    std::fs::write(env.path("phrase.txt"), text).expect("write phrase");
    let file = std::fs::File::open(env.path("phrase.txt")).expect("open phrase");
    let mut cmd = env.command(&["recover"]);
    cmd.stdin(Stdio::from(file));
    c(&mut cmd);
    cmd.output().expect("run nansen recover")
}

#[test]
fn eight_concurrent_receives_keep_all_eight_credentials() {
    let env = Env::new();
    env.ok(&["init"]);
    let holder = env.did();
    let ids: Vec<String> = (0..8)
        .map(|i| env.issue(&holder, &format!("cred-{i}.json"), &[]))
        .collect();
    for round in 0..2 {
        // Round 0 receives into the wallet; round 1 receives the same 8 again at once (each
        // replaces its own copy): still exactly 8.
        let children: Vec<Child> = (0..8)
            .map(|i| {
                env.command(&["receive", &format!("cred-{i}.json")])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn receive")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait receive");
            assert!(out.status.success(), "round {round}: {out:?}");
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("stored"),
                "{out:?}"
            );
        }
        let listed = env.ok(&["list"]);
        assert_eq!(listed.lines().count(), 8, "round {round}: {listed}");
        for id in &ids {
            assert!(
                listed.contains(id.as_str()),
                "round {round}: {id} lost: {listed}"
            );
        }
    }
}

#[test]
fn weak_new_passphrases_are_refused_by_name_and_nothing_is_created() {
    let env = Env::new();
    for weak in ["", "a", "password1", "iloveyou2"] {
        let out = env
            .command(&["init", "--recovery-sheet", "sheet.png"])
            .env("NANSEN_PASSPHRASE", weak)
            .output()
            .expect("run init");
        assert_named_failure(&out, "WeakPassphrase");
        assert!(stderr(&out).contains("too easy to guess"), "{out:?}");
        assert!(!env.wallet().exists(), "{weak:?} created a wallet");
        assert!(!env.path("sheet.png").exists() && !env.path("sheet.txt").exists());
    }
    // recover refuses a weak passphrase for the new wallet too.
    let init = env.ok(&["init"]);
    let other = Env::new();
    let out = recover_from_file(&other, &phrase_of(&init).join(" "), |c| {
        c.env("NANSEN_PASSPHRASE", "12345678");
    });
    assert_named_failure(&out, "WeakPassphrase");
    assert!(!other.wallet().exists());
    // And so does a backup's new passphrase.
    let out = env
        .command(&["backup", "export", "--out", "backup.nansen"])
        .env("NANSEN_BACKUP_PASSPHRASE", "qwerty")
        .output()
        .expect("run backup export");
    assert_named_failure(&out, "WeakPassphrase");
    assert!(!env.path("backup.nansen").exists());
}

#[test]
fn without_a_terminal_each_command_names_the_variable_to_set() {
    let env = Env::new();
    let init = env.ok(&["init"]);
    let holder = env.did();
    assert!(init.contains(&holder), "{init}");
    env.issue(&holder, "cred.json", &[]);
    env.ok(&["receive", "cred.json"]);
    env.issue(&holder, "second.json", &[]);
    let before = std::fs::read(env.wallet()).expect("read wallet");

    let no_pass = |args: &[&str]| {
        let mut c = env.command(args);
        c.env_remove("NANSEN_PASSPHRASE");
        without_terminal(&mut c).output().expect("run nansen")
    };
    // `did` shows the public identifier without any passphrase.
    let out = no_pass(&["did"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), holder);

    let fresh = Env::new();
    let mut c = fresh.command(&["init"]);
    c.env_remove("NANSEN_PASSPHRASE");
    let out = without_terminal(&mut c).output().expect("run init");
    assert_named_failure(&out, "NoPassphrase");
    assert!(stderr(&out).contains("NANSEN_PASSPHRASE"), "{out:?}");
    assert!(!fresh.wallet().exists());

    for args in [
        &["list"][..],
        &["show", "0"],
        &["receive", "second.json"],
        &[
            "present",
            "--yes",
            "0",
            "--claims",
            "givenName",
            "--challenge",
            "c",
            "--audience",
            "a",
        ],
        &["backup", "export", "--out", "b.nansen"],
    ] {
        let out = no_pass(args);
        assert_named_failure(&out, "NoPassphrase");
        let err = stderr(&out);
        assert!(err.contains("NANSEN_PASSPHRASE"), "{args:?}: {err}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(env.wallet()).expect("read"), before);

    // The backup passphrase has its own variable, named when it is missing.
    let mut c = env.command(&["backup", "export", "--out", "b.nansen"]);
    let out = without_terminal(&mut c).output().expect("run export");
    assert_named_failure(&out, "NoPassphrase");
    assert!(stderr(&out).contains("NANSEN_BACKUP_PASSPHRASE"), "{out:?}");
    assert!(!env.path("b.nansen").exists());

    // An encrypted registrar key file: its variables are named, and nothing is issued.
    let key = r#"{"format":"nansen-key/1","kind":"registrar","cipher":"xchacha20poly1305",
        "kdf":{"algorithm":"argon2id","m_cost_kib":64,"t_cost":1,"p_cost":1,
        "salt":"AAAAAAAAAAAAAAAAAAAAAA=="},"nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ciphertext":"AAAA","public_key":"00"}"#;
    std::fs::write(env.path("locked-registrar.key"), key).expect("write key");
    let mut c = env.command(&[
        "issue",
        "--kind",
        "birth",
        "--claims",
        "claims.json",
        "--holder",
        &holder,
        "--registrar-key",
        "locked-registrar.key",
        "--out",
        "new.json",
    ]);
    c.env_remove("NANSEN_PASSPHRASE");
    let out = without_terminal(&mut c).output().expect("run issue");
    assert_named_failure(&out, "NoPassphrase");
    let err = stderr(&out);
    assert!(
        err.contains("NANSEN_REGISTRAR_PASSPHRASE") && err.contains("NANSEN_PASSPHRASE"),
        "{err}"
    );
    assert!(!env.path("new.json").exists());

    // `nansen recover < phrase.txt` without a terminal: the phrase from the file, the new
    // passphrase from the variable; without the variable, it is named.
    let phrase = phrase_of(&init).join(" ");
    let other = Env::new();
    let out = recover_from_file(&other, &phrase, |c| {
        c.env_remove("NANSEN_PASSPHRASE");
        without_terminal(c);
    });
    assert_named_failure(&out, "NoPassphrase");
    assert!(!other.wallet().exists());
    let out = recover_from_file(&other, &phrase, |c| {
        without_terminal(c);
    });
    assert!(out.status.success(), "{out:?}");
    assert_eq!(other.did(), holder);
}

#[test]
fn the_phrase_is_read_one_word_per_line_and_errors_count_words_from_1() {
    let env = Env::new();
    let init = env.ok(&["init", "--recovery-sheet", "sheet.png"]);
    let holder = env.did();
    let words = phrase_of(&init);
    assert_eq!(words.len(), 24, "{init}");

    // One word per line, from a file on standard input.
    let one = Env::new();
    let out = recover_from_file(&one, &(words.join("\n") + "\n"), |_| {});
    assert!(out.status.success(), "{out:?}");
    assert_eq!(one.did(), holder);

    // The sheet's own numbered lines, copied as they are.
    let sheet = std::fs::read_to_string(env.path("sheet.txt")).expect("sheet");
    let numbered: String = sheet
        .lines()
        .filter(|l| {
            l.trim()
                .split_once(". ")
                .is_some_and(|(n, _)| n.parse::<u8>().is_ok())
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(numbered.lines().count(), 24, "{sheet}");
    assert!(numbered.starts_with(" 1. "), "{numbered}");
    let two = Env::new();
    let out = recover_from_file(&two, &numbered, |_| {});
    assert!(out.status.success(), "{out:?}");
    assert_eq!(two.did(), holder);

    // A misspelled ninth word is word 9; no wallet is written.
    let mut wrong = words.clone();
    wrong[8].push('q');
    let three = Env::new();
    let out = recover_from_file(&three, &(wrong.join("\n") + "\n"), |_| {});
    assert_named_failure(&out, "InvalidRecoveryPhrase");
    assert!(stderr(&out).contains("word 9 "), "{out:?}");
    assert!(!three.wallet().exists());
    // 23 words are named as such.
    let out = recover_from_file(&three, &words[..23].join(" "), |_| {});
    assert_named_failure(&out, "InvalidRecoveryPhrase");
    assert!(stderr(&out).contains("23 words, expected 24"), "{out:?}");
    // Two different words swapped: every word is valid, the checksum says the order is wrong
    // (a swap still fits the 8-bit checksum about once in 256 phrases: then it is another
    // holder's key, never this one).
    let j = (1..24)
        .rev()
        .find(|&j| words[j] != words[0])
        .expect("two different words");
    let mut swapped = words.clone();
    swapped.swap(0, j);
    let out = recover_from_file(&three, &swapped.join(" "), |_| {});
    if out.status.success() {
        assert_ne!(three.did(), holder);
    } else {
        assert_named_failure(&out, "InvalidRecoveryPhrase");
        assert!(stderr(&out).contains("checksum"), "{out:?}");
        assert!(!three.wallet().exists());
    }
}

#[test]
fn bundles_are_private_and_never_overwritten_without_force() {
    let env = Env::new();
    env.ok(&["init"]);
    let holder = env.did();
    let first = env.issue(
        &holder,
        "cred.json",
        &["--qr-png", "cred.png", "--qr-text", "cred.qr"],
    );
    assert_eq!(mode(&env.path("cred.json")), 0o600);
    assert_eq!(mode(&env.path("cred.qr")), 0o600);
    let pngs: Vec<PathBuf> = (1..=64)
        .map(|i| env.path(&format!("cred-{i}.png")))
        .take_while(|p| p.exists())
        .collect();
    assert!(!pngs.is_empty());
    for png in &pngs {
        assert_eq!(mode(png), 0o600, "{}", png.display());
    }
    let bundle = std::fs::read(env.path("cred.json")).expect("bundle");

    // A second issue to the same file is refused by name; the first bundle is intact.
    let args = [
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
    ];
    let out = env.run(&args);
    assert_named_failure(&out, "OutputExists");
    assert!(stderr(&out).contains("cred.json") && stderr(&out).contains("--force"));
    assert_eq!(
        std::fs::read(env.path("cred.json")).expect("bundle"),
        bundle
    );
    // A QR file in the way is refused too, before the bundle is written.
    let out = env.run(&[
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
        "other.json",
        "--qr-text",
        "cred.qr",
    ]);
    assert_named_failure(&out, "OutputExists");
    assert!(!env.path("other.json").exists());

    // With --force it is replaced, and private even if the old file was not.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(
        env.path("cred.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let second = env.issue(&holder, "cred.json", &["--force"]);
    assert_ne!(first, second);
    assert_eq!(mode(&env.path("cred.json")), 0o600);
    let replaced = std::fs::read_to_string(env.path("cred.json")).expect("bundle");
    let urn = format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &second[..8],
        &second[8..12],
        &second[12..16],
        &second[16..20],
        &second[20..]
    );
    assert!(replaced.contains(&urn), "{urn}: {replaced}");

    // Presentations: private, and not over an existing file without --force.
    env.ok(&["receive", "cred.json"]);
    let present = |nonce: &str, extra: &[&str]| {
        let mut args = vec![
            "present",
            "--yes",
            &second[..8],
            "--claims",
            "givenName",
            "--challenge",
            nonce,
            "--audience",
            "a",
            "--out",
            "pres.txt",
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    assert!(present("c1", &[]).status.success());
    assert_eq!(mode(&env.path("pres.txt")), 0o600);
    let read = || std::fs::read_to_string(env.path("pres.txt")).expect("presentation");
    let shown = read();
    let out = present("c2", &[]);
    assert_named_failure(&out, "OutputExists");
    assert!(read() == shown, "the presentation file changed");
    assert!(present("c2", &["--force"]).status.success());
    assert!(read() != shown, "--force did not replace the presentation");

    // A recovery sheet is not written over another one either.
    let other = Env::new();
    std::fs::write(other.path("sheet.txt"), "another wallet's words").expect("write");
    let out = other.run(&["init", "--recovery-sheet", "sheet.png"]);
    assert_named_failure(&out, "OutputExists");
    assert!(!other.wallet().exists());
    assert_eq!(
        std::fs::read_to_string(other.path("sheet.txt")).expect("read"),
        "another wallet's words"
    );
}

#[test]
fn a_closed_output_pipe_ends_commands_quietly() {
    use std::os::unix::process::ExitStatusExt as _;
    let env = Env::new();
    env.ok(&["init"]);
    let holder = env.did();
    let id = env.issue(&holder, "cred.json", &[]);
    env.ok(&["receive", "cred.json"]);
    let mut ended_by_the_pipe = 0;
    for args in [&["list"][..], &["show", &id], &["did"], &["--help"]] {
        for _ in 0..3 {
            // The reader goes away before the command writes, as `nansen list | head -0`
            // would; the command then writes into a pipe nobody reads.
            let mut child = env
                .command(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn");
            drop(child.stdout.take());
            let out = child.wait_with_output().expect("wait");
            let err = stderr(&out);
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            assert!(
                out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
                "{args:?}: {:?} {err}",
                out.status
            );
            if out.status.signal() == Some(libc::SIGPIPE) {
                ended_by_the_pipe += 1;
            }
        }
    }
    // `list` and `show` derive the wallet key before they print: the pipe was closed first.
    assert!(
        ended_by_the_pipe >= 6,
        "{ended_by_the_pipe} of 12 runs met the closed pipe"
    );

    // `init` whose phrase nobody reads creates nothing: no wallet without a shown phrase.
    let fresh = Env::new();
    let mut child = fresh
        .command(&["init", "--recovery-sheet", "sheet.png"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn init");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait init");
    assert!(!stderr(&out).contains("panicked"), "{out:?}");
    if out.status.signal() == Some(libc::SIGPIPE) {
        assert!(!fresh.wallet().exists());
        assert!(!fresh.path("sheet.png").exists() && !fresh.path("sheet.txt").exists());
    } else {
        // Only if the phrase went into the pipe before it was closed.
        assert!(out.status.success() && fresh.wallet().exists(), "{out:?}");
    }
}

#[test]
fn did_shows_the_identifier_without_the_passphrase() {
    let env = Env::new();
    let init = env.ok(&["init"]);
    let holder = env.did();
    assert!(init.contains(&holder), "{init}");
    for pass in [None, Some("not the passphrase")] {
        let mut c = env.command(&["did"]);
        match pass {
            Some(p) => c.env("NANSEN_PASSPHRASE", p),
            None => c.env_remove("NANSEN_PASSPHRASE"),
        };
        let out = c.output().expect("run did");
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), holder);
    }
    // Any command that opens the wallet still needs the right one.
    let out = env
        .command(&["list"])
        .env("NANSEN_PASSPHRASE", "not the passphrase")
        .output()
        .expect("run list");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("WrongPassphrase"));
}

/// Rewrites a version-2 wallet file as version 1 (the layout before the holder's key was in
/// the header), as a wallet written by an earlier `nansen` is.
fn downgrade_to_version_1(path: &Path) {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let file = std::fs::read(path).expect("read wallet");
    assert_eq!(file[8], 2, "a version-2 wallet");
    let (v2_head, ciphertext) = file.split_at(109);
    let at = |i: usize| u32::from_le_bytes(v2_head[i..i + 4].try_into().expect("4 bytes"));
    let params = argon2::Params::new(at(9), at(13), at(17), Some(32)).expect("KDF parameters");
    let mut key = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(PASSPHRASE.as_bytes(), &v2_head[21..37], &mut key)
        .expect("argon2");
    let cipher = XChaCha20Poly1305::new(&key.into());
    let nonce = XNonce::from_slice(&v2_head[37..61]);
    let plain = cipher
        .decrypt(
            nonce,
            Payload {
                msg: ciphertext,
                aad: v2_head,
            },
        )
        .expect("decrypt");
    let mut v1_head = v2_head[..77].to_vec();
    v1_head[8] = 1;
    let sealed = cipher
        .encrypt(
            nonce,
            Payload {
                msg: &plain,
                aad: &v1_head,
            },
        )
        .expect("encrypt");
    std::fs::write(path, [v1_head, sealed].concat()).expect("write wallet");
}

#[test]
fn a_wallet_of_the_previous_format_still_works_and_is_upgraded_at_its_next_change() {
    let env = Env::new();
    env.ok(&["init"]);
    let holder = env.did();
    let id = env.issue(&holder, "cred.json", &[]);
    env.ok(&["receive", "cred.json"]);
    downgrade_to_version_1(&env.wallet());

    // Everything opens it; `did` needs the passphrase for it, and names the variable.
    assert!(env.ok(&["list"]).contains(&id));
    assert_eq!(env.did(), holder);
    let mut c = env.command(&["did"]);
    c.env_remove("NANSEN_PASSPHRASE");
    let out = without_terminal(&mut c).output().expect("run did");
    assert_named_failure(&out, "NoPassphrase");
    assert_eq!(std::fs::read(env.wallet()).expect("read")[8], 1);

    // Its next change writes version 2: then `did` needs no passphrase.
    let second = env.issue(&holder, "second.json", &[]);
    env.ok(&["receive", "second.json"]);
    assert_eq!(std::fs::read(env.wallet()).expect("read")[8], 2);
    let mut c = env.command(&["did"]);
    c.env_remove("NANSEN_PASSPHRASE");
    let out = without_terminal(&mut c).output().expect("run did");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), holder);
    let listed = env.ok(&["list"]);
    assert!(listed.contains(&id) && listed.contains(&second), "{listed}");
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}

#[test]
fn a_passphrase_file_serves_unattended_commands_and_a_bad_one_is_named() {
    let env = Env::new();
    let pass_file = env.path("wallet.pass");
    std::fs::write(&pass_file, format!("{PASSPHRASE}\n")).expect("write");
    let from_file = |args: &[&str], file: &Path| {
        let mut c = env.command(args);
        c.env_remove("NANSEN_PASSPHRASE")
            .env("NANSEN_PASSPHRASE_FILE", file);
        without_terminal(&mut c).output().expect("run nansen")
    };
    let out = from_file(&["init"], &pass_file);
    assert!(out.status.success(), "{out:?}");
    // The wallet opens with the passphrase of the file: the same as NANSEN_PASSPHRASE gives.
    let holder = env.did();
    env.issue(&holder, "cred.json", &[]);
    let out = from_file(&["receive", "cred.json"], &pass_file);
    assert!(out.status.success(), "{out:?}");
    assert!(env.ok(&["list"]).contains("birth"));

    // An empty file and a missing one are named, and nothing changes.
    let before = std::fs::read(env.wallet()).expect("read wallet");
    let empty = env.path("empty.pass");
    std::fs::write(&empty, "\n").expect("write");
    for file in [empty, env.path("missing.pass")] {
        let out = from_file(&["list"], &file);
        assert_named_failure(&out, "PassphraseFile");
        assert!(
            stderr(&out).contains(&file.display().to_string()),
            "{out:?}"
        );
    }
    assert_eq!(std::fs::read(env.wallet()).expect("read wallet"), before);

    // Without a terminal and without any source, the error names the file variable too.
    let mut c = env.command(&["list"]);
    c.env_remove("NANSEN_PASSPHRASE");
    let out = without_terminal(&mut c).output().expect("run nansen");
    assert_named_failure(&out, "NoPassphrase");
    assert!(stderr(&out).contains("NANSEN_PASSPHRASE_FILE"), "{out:?}");
}
