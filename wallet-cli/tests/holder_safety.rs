//! The holder's and registrar's safety, with the real `nansen` binary: concurrent `receive`s
//! lose nothing, `did` needs no passphrase, files with personal data are private and never
//! overwritten without `--force`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const PASSPHRASE: &str = "correct horse battery staple";
const REGISTRAR_SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";
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
        std::fs::write(env.path("registrar.hex"), REGISTRAR_SEED).expect("write key");
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
            "registrar.hex",
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
        "registrar.hex",
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
        "registrar.hex",
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
