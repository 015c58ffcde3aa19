//! The holder stays in control, with the real `nansen` binary: losing a phone and getting the
//! credentials back from the wallet's automatic backup (the README's guide, run line by
//! line), a removed USB stick, `present` showing and asking before it discloses, `show` in
//! the holder's language, and the recovery sheet in the holder's language.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

    /// `nansen ARGS` on the wallet file `wallet`, in this directory, with the passphrase in
    /// the environment and a cheap KDF; standard input empty, unless given.
    fn command_on(&self, wallet: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_nansen"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("NANSEN_WALLET", self.path(wallet))
            .env("NANSEN_PASSPHRASE", PASSPHRASE)
            .env("NANSEN_KDF_MEMORY_KIB", "64")
            .env("NANSEN_KDF_ITERATIONS", "1")
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("NANSEN_BACKUP_PASSPHRASE")
            .env_remove("NANSEN_NODE")
            .stdin(Stdio::null());
        c
    }

    fn run_on(&self, wallet: &str, args: &[&str], input: Option<&str>) -> Output {
        let mut c = self.command_on(wallet, args);
        let Some(input) = input else {
            return c.output().expect("run nansen");
        };
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn nansen");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait nansen")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_on("wallet.nansen", args, None)
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(self.run(args), args)
    }

    /// The registrar issues a birth credential for `holder` into `out`; returns its id.
    fn issue(&self, holder: &str, out: &str) -> String {
        let issued = self.ok(&[
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
        ]);
        field(&issued, "id")
    }

    /// A wallet (its recovery sheet in sheet.png and sheet.txt) with one credential received;
    /// returns its id.
    fn with_credential() -> (Env, String) {
        let env = Env::new();
        env.ok(&["init", "--recovery-sheet", "sheet.png"]);
        let did = env.ok(&["did"]).trim().to_owned();
        let id = env.issue(&did, "birth.json");
        env.ok(&["receive", "birth.json"]);
        (env, id)
    }
}

fn ok(out: Output, args: &[&str]) -> String {
    assert!(
        out.status.success(),
        "nansen {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in {output}"))
        .to_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The 24 numbered lines of a recovery sheet's text, as the holder types them.
fn sheet_words(sheet: &Path) -> String {
    let text = std::fs::read_to_string(sheet).expect("read sheet");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.trim_start()
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    assert_eq!(lines.len(), 24, "{text}");
    lines.join("\n") + "\n"
}

/// The README's "losing your phone" commands, in order, without their comments.
fn readme_losing_a_phone() -> Vec<(String, Vec<String>)> {
    let readme = include_str!("../../README.md");
    let block = readme
        .split_once("<!-- losing-a-phone: begin -->")
        .and_then(|(_, rest)| rest.split_once("<!-- losing-a-phone: end -->"))
        .map(|(block, _)| block)
        .expect("the README has the losing-a-phone guide");
    block
        .lines()
        .map(|l| l.split_once('#').map_or(l, |(code, _)| code).trim())
        .filter(|l| !l.is_empty() && !l.starts_with("```"))
        .map(|l| {
            let words: Vec<String> = l.split_whitespace().map(str::to_owned).collect();
            assert_eq!(words[0], "nansen", "{l}");
            (l.to_owned(), words[1..].to_vec())
        })
        .collect()
}

/// The README's guide, line by line: the old phone's wallet until `recover`, the new phone's
/// from then on; the registrar's bundle and the holder's typing are what the guide assumes.
#[test]
fn a_holder_loses_the_phone_and_gets_the_credentials_back_as_the_readme_says() {
    let env = Env::new();
    std::fs::create_dir(env.path("usb")).expect("the stick");
    let steps = readme_losing_a_phone();
    let commands: Vec<&str> = steps.iter().map(|(_, a)| a[0].as_str()).collect();
    assert_eq!(
        commands,
        ["init", "backup", "receive", "recover", "list"],
        "{steps:?}"
    );
    let mut phone = "old-phone.nansen";
    let mut id = String::new();
    for (line, args) in &steps {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = match args[0] {
            "receive" => {
                // The registrar issued the credential to the holder's DID.
                let did = ok(env.run_on(phone, &["did"], None), &["did"]);
                id = env.issue(did.trim(), "birth-credential.json");
                env.run_on(phone, &args, None)
            }
            "recover" => {
                std::fs::remove_file(env.path(phone)).expect("the phone is lost");
                phone = "new-phone.nansen";
                let words = sheet_words(&env.path("sheet.txt"));
                env.run_on(phone, &args, Some(&words))
            }
            _ => env.run_on(phone, &args, None),
        };
        let text = ok(out, &args);
        println!("$ {line}\n{text}");
        if args[0] == "recover" {
            assert!(
                text.contains("1 credentials restored from the backup"),
                "{text}"
            );
        }
        if args[0] == "list" {
            assert!(text.contains(&id) && text.contains("birth"), "{text}");
        }
    }
    assert!(!env.path("old-phone.nansen").exists());
    // The restored credential is whole: shown with its claims, and presented.
    let shown = ok(env.run_on(phone, &["show", &id], None), &["show"]);
    assert!(shown.contains("Given name: Amal"), "{shown}");
    let args = [
        "present",
        &id,
        "--claims",
        "givenName",
        "--challenge",
        "c-1",
        "--audience",
        "a",
        "--yes",
        "--out",
        "p.txt",
    ];
    ok(env.run_on(phone, &args, None), &args);
    assert!(env.path("p.txt").exists());
}

/// A credential received while the stick is out is kept in the wallet, the holder is warned
/// by name, the stick's folder is not recreated on the phone, and the next change with the
/// stick back writes a backup holding both credentials.
#[test]
fn a_removed_stick_warns_by_name_and_loses_nothing() {
    let (env, first) = Env::with_credential();
    std::fs::create_dir(env.path("usb")).expect("the stick");
    let on = env.ok(&["backup", "auto", "--dir", "usb"]);
    assert!(on.contains("Automatic backup on: 1 credentials"), "{on}");
    std::fs::remove_dir_all(env.path("usb")).expect("remove the stick");

    let did = env.ok(&["did"]).trim().to_owned();
    let second = env.issue(&did, "second.json");
    let out = env.run(&["receive", "second.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stderr(&out).contains("BackupFolderMissing"), "{out:?}");
    assert!(
        !env.path("usb").exists(),
        "the stick's folder was recreated"
    );
    assert!(env.ok(&["list"]).contains(&second));

    // The stick is back: the next change writes the backup, with both credentials.
    std::fs::create_dir(env.path("usb")).expect("the stick again");
    let third = env.issue(&did, "third.json");
    let out = env.run(&["receive", "third.json"]);
    assert!(out.status.success() && stderr(&out).is_empty(), "{out:?}");
    let files: Vec<_> = std::fs::read_dir(env.path("usb"))
        .expect("read usb")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".nbk"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");

    // That backup brings all three back on a new phone, with the phrase alone.
    let words = sheet_words(&env.path("sheet.txt"));
    let out = env.run_on("new.nansen", &["recover", "--backup", "usb"], Some(&words));
    let text = ok(out, &["recover", "--backup", "usb"]);
    assert!(text.contains("3 credentials restored"), "{text}");
    let list = ok(env.run_on("new.nansen", &["list"], None), &["list"]);
    for id in [&first, &second, &third] {
        assert!(list.contains(id.as_str()), "{id}: {list}");
    }
}

/// `recover` without a backup says where the credentials come from, `list` repeats it, and
/// `backup import` of the automatic backup (no backup passphrase) brings them back.
#[test]
fn recover_without_a_backup_says_how_the_credentials_come_back() {
    let env = Env::new();
    let init = env.ok(&["init", "--recovery-sheet", "sheet.png"]);
    assert!(init.contains("Wallet created"));
    let did = env.ok(&["did"]).trim().to_owned();
    let id = env.issue(&did, "birth.json");
    std::fs::create_dir(env.path("usb")).expect("the stick");
    env.ok(&["backup", "auto", "--dir", "usb"]);
    env.ok(&["receive", "birth.json"]);

    let words = sheet_words(&env.path("sheet.txt"));
    let out = env.run_on("new.nansen", &["recover"], Some(&words));
    let text = ok(out, &["recover"]);
    assert!(
        text.contains("come back only from a backup") && text.contains("--backup FOLDER"),
        "{text}"
    );
    let list = ok(env.run_on("new.nansen", &["list"], None), &["list"]);
    assert!(
        list.contains("no credentials") && list.contains("nansen backup import FILE"),
        "{list}"
    );
    let file = std::fs::read_dir(env.path("usb"))
        .expect("read usb")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "nbk"))
        .expect("the backup file");
    let file = file.to_string_lossy().into_owned();
    let out = env.run_on("new.nansen", &["backup", "import", &file], None);
    let text = ok(out, &["backup", "import"]);
    assert!(text.contains("1 credentials added"), "{text}");
    let list = ok(env.run_on("new.nansen", &["list"], None), &["list"]);
    assert!(list.contains(&id), "{list}");
}

/// Another holder's phrase does not open the backup: refused by name, no wallet written.
#[test]
fn another_holders_phrase_does_not_open_the_backup_and_creates_nothing() {
    let (env, _) = Env::with_credential();
    std::fs::create_dir(env.path("usb")).expect("the stick");
    env.ok(&["backup", "auto", "--dir", "usb"]);
    // Another holder's sheet.
    let other = env.run_on(
        "other.nansen",
        &["init", "--recovery-sheet", "other.png"],
        None,
    );
    ok(other, &["init"]);
    let words = sheet_words(&env.path("other.txt"));
    // In the shared folder there is no backup of that holder...
    let out = env.run_on("new.nansen", &["recover", "--backup", "usb"], Some(&words));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("NoBackup"), "{out:?}");
    assert!(!env.path("new.nansen").exists());
    // ...and the first holder's file, named, is not theirs.
    let file = std::fs::read_dir(env.path("usb"))
        .expect("read usb")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "nbk"))
        .expect("the backup file");
    let file = file.to_string_lossy().into_owned();
    let out = env.run_on("new.nansen", &["recover", "--backup", &file], Some(&words));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("BackupOfAnotherHolder"), "{out:?}");
    assert!(!env.path("new.nansen").exists());
    // A damaged backup is named too.
    let mut bytes = std::fs::read(&file).expect("read backup");
    let last = bytes.len() - 5;
    bytes[last] ^= 1;
    std::fs::write(env.path("damaged.nbk"), bytes).expect("write");
    let out = env.run_on(
        "new.nansen",
        &["recover", "--backup", "damaged.nbk"],
        Some(&words),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!env.path("new.nansen").exists());
}

/// `present` lists what it will disclose, labelled in the holder's language, and never
/// discloses without a yes: refused without a terminal, done with `--yes`.
#[test]
fn present_shows_the_claims_and_refuses_without_a_yes() {
    let (env, id) = Env::with_credential();
    let base = [
        "present",
        id.as_str(),
        "--profile",
        "border",
        "--challenge",
        "c-1",
        "--audience",
        "border-post-7",
        "--out",
        "p.txt",
    ];
    let out = env.run(&base);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert!(
        err.contains("NotConfirmed") && err.contains("--yes"),
        "{err}"
    );
    // The birth credential has three of the border profile's claims.
    assert!(
        err.contains("show border-post-7 these 3 claims")
            && err.contains("Given name: Amal")
            && err.contains("Family name: Haddad")
            && err.contains("Nationality: SY\n"),
        "{err}"
    );
    assert!(!err.contains("Date of birth"), "{err}");
    assert!(!env.path("p.txt").exists(), "disclosed without a yes");

    let mut fr = vec!["--lang", "fr"];
    fr.extend_from_slice(&base);
    let out = env.run(&fr);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("Prénom : Amal"), "{out:?}");
    let mut ar = vec!["--lang", "ar"];
    ar.extend_from_slice(&base);
    let out = env.run(&ar);
    assert!(stderr(&out).contains("الاسم الأول"), "{out:?}");
    assert!(!env.path("p.txt").exists());

    let mut yes = base.to_vec();
    yes.push("--yes");
    env.ok(&yes);
    assert!(env.path("p.txt").exists());
}

/// On a terminal `present` asks: "n" discloses nothing, "y" writes the presentation. (Runs
/// under `script`, which gives the command a terminal; skipped where there is none.)
#[test]
fn present_asks_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("no `script` here: the terminal question is not tested");
        return;
    }
    let (env, id) = Env::with_credential();
    let nansen = env!("CARGO_BIN_EXE_nansen");
    for (answer, out_file, disclosed) in [("n", "no.txt", false), ("y", "yes.txt", true)] {
        let line = format!(
            "{nansen} present {id} --claims givenName --challenge c --audience a --out {out_file}"
        );
        let c = env.command_on("wallet.nansen", &[]);
        let mut script = Command::new("script");
        script
            .args(["-qec", &line, "/dev/null"])
            .current_dir(env.path(""))
            .envs(c.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = script.spawn().expect("spawn script");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{answer}\n").as_bytes())
            .expect("answer");
        let out = child.wait_with_output().expect("wait script");
        let text = stdout(&out);
        assert!(
            text.contains("Given name: Amal") && text.contains("Disclose them? [y/N]"),
            "{text}"
        );
        assert_eq!(env.path(out_file).exists(), disclosed, "{answer}: {text}");
        if !disclosed {
            assert!(text.contains("NotConfirmed"), "{text}");
        }
    }
}

/// `show` prints the claims with their names in the chosen language; `--json` keeps the
/// credential's own names for programs.
#[test]
fn show_prints_labelled_claims_in_the_chosen_language() {
    let (env, id) = Env::with_credential();
    let en = env.ok(&["show", &id]);
    for expected in [
        "Given name: Amal",
        "Family name: Haddad",
        "Date of birth: 2024-02-29",
        "Place of birth: Zaatari camp, Mafraq",
        "Registration number: JO-ZA-2024-000123",
        "Status: not checked on the ledger",
    ] {
        assert!(en.contains(expected), "{expected}: {en}");
    }
    assert!(!en.contains("givenName") && !en.contains('{'), "{en}");
    let fr = env.ok(&["--lang", "fr", "show", &id]);
    assert!(
        fr.contains("Prénom : Amal") && fr.contains("Date de naissance : 2024-02-29"),
        "{fr}"
    );
    let ar = env.ok(&["--lang", "ar", "show", &id]);
    assert!(ar.contains("الاسم الأول") && ar.contains("Amal"), "{ar}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", &id, "--json"])).expect("show --json");
    assert_eq!(json["claims"]["givenName"], "Amal");
}

/// The recovery sheet's text is in the chosen language; the words stay numbered from 1, one
/// per line, and read back as the phrase.
#[test]
fn the_recovery_sheet_is_in_the_chosen_language() {
    let env = Env::new();
    ok(
        env.run_on(
            "fr.nansen",
            &["--lang", "fr", "init", "--recovery-sheet", "fr.png"],
            None,
        ),
        &["init"],
    );
    let fr = std::fs::read_to_string(env.path("fr.txt")).expect("sheet");
    assert!(
        fr.contains("FICHE DE RÉCUPÉRATION") && fr.contains("Votre identifiant (DID)"),
        "{fr}"
    );
    assert!(fr.contains(" 1. ") && fr.contains("24. "), "{fr}");
    assert!(!fr.contains("RECOVERY SHEET"), "{fr}");
    ok(
        env.run_on(
            "ar.nansen",
            &["--lang", "ar", "init", "--recovery-sheet", "ar.png"],
            None,
        ),
        &["init"],
    );
    let ar = std::fs::read_to_string(env.path("ar.txt")).expect("sheet");
    assert!(ar.contains("ورقة الاسترداد") && ar.contains("معرّفك"), "{ar}");
    // The Arabic sheet's words recover the same holder.
    let did = ok(env.run_on("ar.nansen", &["did"], None), &["did"]);
    let words = sheet_words(&env.path("ar.txt"));
    let out = ok(
        env.run_on("again.nansen", &["recover"], Some(&words)),
        &["recover"],
    );
    assert!(out.contains(did.trim()), "{out}");

    // The PNG is the code with the words drawn below it (taller than wide, ink under the
    // square code), and a photo of it still recovers the holder.
    let file = std::fs::File::open(env.path("ar.png")).expect("open png");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("png header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("png pixels");
    let (width, height) = (info.width as usize, info.height as usize);
    assert!(
        height > width + 200,
        "{width}x{height}: no room for the words"
    );
    let text_ink = pixels[width * width..width * height]
        .iter()
        .filter(|p| **p == 0)
        .count();
    assert!(text_ink > 24 * 200, "{text_ink} dark pixels under the code");
    let out = ok(
        env.run_on(
            "photo.nansen",
            &["recover", "--sheet-image", "ar.png"],
            None,
        ),
        &["recover", "--sheet-image"],
    );
    assert!(out.contains(did.trim()), "{out}");
}

/// Receives at the same time each rewrite the backup under the wallet's lock: the last backup
/// written holds every credential, and restores them all.
#[test]
fn concurrent_receives_leave_a_backup_with_every_credential() {
    let (env, first) = Env::with_credential();
    std::fs::create_dir(env.path("usb")).expect("the stick");
    env.ok(&["backup", "auto", "--dir", "usb"]);
    let did = env.ok(&["did"]).trim().to_owned();
    let ids: Vec<String> = (0..4)
        .map(|i| env.issue(&did, &format!("c{i}.json")))
        .collect();
    let children: Vec<_> = (0..4)
        .map(|i| {
            let file = format!("c{i}.json");
            env.command_on("wallet.nansen", &["receive", &file])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn receive")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait receive");
        assert!(out.status.success() && stderr(&out).is_empty(), "{out:?}");
    }
    let words = sheet_words(&env.path("sheet.txt"));
    let out = env.run_on("new.nansen", &["recover", "--backup", "usb"], Some(&words));
    let text = ok(out, &["recover", "--backup", "usb"]);
    assert!(text.contains("5 credentials restored"), "{text}");
    let list = ok(env.run_on("new.nansen", &["list"], None), &["list"]);
    for id in ids.iter().chain([&first]) {
        assert!(list.contains(id.as_str()), "{id}: {list}");
    }
}

/// The test registrar's key (seed 0x11 repeated) as the encrypted key file `nansen-node key
/// generate` writes, under `passphrase`.
fn write_registrar_key(path: &std::path::Path, passphrase: &str) {
    use nansen_files::keyfile::{write_key_file, KeyKind};
    write_key_file(path, KeyKind::Registrar, &[0x11; 32], passphrase).expect("registrar key");
}
