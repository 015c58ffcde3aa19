//! The browser verifier in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by `scripts/browser-setup.sh`) driven through chromedriver
//! opens the folder `nansen verifier-page` writes, from disk (`file://`), and verifies real
//! presentations made by the real `nansen` against a real `nansen-node`: valid, replayed,
//! wrong challenge, forged issuer, stale evidence, revoked, and signature only without a
//! trust file; the page served by the node at `/verify/` too; no network request is made;
//! the Arabic page is laid out right to left. The page scans: the parts of a presentation's
//! real QR codes fed through Chromium's fake camera (a Y4M video) in shuffled order, pictures
//! of codes opened as files, and its own challenge code read back from a screenshot by
//! `nansen present --challenge-qr`; with the network cut after load, from disk and from the
//! node (stopped after load), in English and French; a camera refused or absent is said in
//! words.
//!
//! The node binary is `NANSEN_NODE_BIN` if set, else built here with `cargo build -p node`.
//! Prints the time one verification takes in the page and in this process (a figure, not
//! asserted).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use nansen_test_support::net::{self as support, field, output_text};
use serde_json::{json, Value};

const AUDIENCE: &str = "border-post-7";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A child process killed on drop (chromedriver).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The shared test network (one node, the registrar `office-1` accredited for birth in JO,
/// a holder's wallet; [`nansen_test_support::net`]), with the node's API as it was at start
/// (the page keeps it after the node is stopped) and `nansen` that must succeed.
struct Net {
    inner: support::Net,
    api: String,
}

impl std::ops::Deref for Net {
    type Target = support::Net;
    fn deref(&self) -> &support::Net {
        &self.inner
    }
}

impl std::ops::DerefMut for Net {
    fn deref_mut(&mut self) -> &mut support::Net {
        &mut self.inner
    }
}

impl Net {
    fn start() -> Net {
        let inner = support::Net::start(Path::new(env!("CARGO_BIN_EXE_nansen")), "browser-test");
        let api = inner.api();
        Net { inner, api }
    }

    /// `nansen args`, which must succeed; its standard output.
    fn nansen(&self, args: &[&str]) -> String {
        self.inner.ok(args)
    }

    /// Issues the birth credential to the holder with the registrar key file `key`; returns
    /// `issue`'s output.
    fn issue(&self, key: &str, out: &str) -> String {
        self.issue_and_receive("birth", "birth.json", key, out)
    }

    /// Issues the birth credential (`cred.json`), anchors it on the ledger, waits for its
    /// cosigned checkpoint and exports the ledger to `ledger.cbor`: returns the credential's
    /// id and the node's witness key.
    fn anchored_birth(&self) -> (String, String) {
        let anchored = self.anchor("birth", "birth.json", "cred.json", "JO-MA");
        let witness = self.witness_key();
        self.node_cmd(&["export", "--api", &self.api, "--out", "ledger.cbor"]);
        (anchored.id, witness)
    }

    /// `nansen present` of `id` (given name and birth date) for the page's challenge, with the
    /// ledger proof when `node` is set, into `out`; returns the file's path.
    fn present(&self, id: &str, challenge: &str, node: bool, out: &str) -> PathBuf {
        let mut args = vec![
            "present",
            "--yes",
            id,
            "--claims",
            "givenName,birthDate",
            "--challenge",
            challenge,
            "--audience",
            AUDIENCE,
            "--out",
            out,
        ];
        let api = self.api.clone();
        if node {
            args.extend_from_slice(&["--node", &api]);
        }
        self.nansen(&args);
        self.path(out)
    }
}

/// chromedriver on a free loopback port, and a headless Chromium session of it with a
/// phone-sized window and a fresh profile.
async fn browser(profile: &Path) -> (Running, Client) {
    let (driver, client, _) = browser_with(profile, &[]).await;
    (driver, client)
}

/// [`browser`] with more Chromium arguments; also returns chromedriver's port.
async fn browser_with(profile: &Path, extra: &[String]) -> (Running, Client, u16) {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
        "{CHROMEDRIVER} and {CHROMIUM} are needed: run scripts/browser-setup.sh"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chromedriver"),
    );
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=412,915",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) => {
                assert!(Instant::now() < deadline, "no WebDriver session: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    (driver, client, port)
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("script")
}

/// Opens the page and waits until its module is running.
async fn open(c: &Client, folder: &Path) {
    c.goto(&format!("file://{}/index.html", folder.display()))
        .await
        .expect("open the page");
    wait_ready(c).await;
}

/// Waits until the page's module is running.
async fn wait_ready(c: &Client) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = js(c, "return document.body.dataset.ready || '';").await;
        match ready.as_str() {
            Some("true") => return,
            Some("failed") => panic!("the page failed: {}", text_of(c, "trust-status").await),
            _ => {}
        }
        assert!(Instant::now() < deadline, "the page did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id))
        .await
        .expect("element")
        .text()
        .await
        .expect("text")
}

/// Sets the page's audience as the officer would type it.
async fn set_audience(c: &Client) {
    let input = c.find(Locator::Id("audience")).await.expect("audience");
    input.clear().await.expect("clear");
    input.send_keys(AUDIENCE).await.expect("type the audience");
}

/// A new challenge from the page (as the holder reads it off the screen).
async fn new_challenge(c: &Client) -> String {
    c.find(Locator::Id("new-challenge"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    text_of(c, "challenge").await
}

/// What the page shows after Verify: verdict, failed check, milliseconds in the module.
struct Shown {
    verdict: String,
    failed: String,
    ms: f64,
    page_text: String,
}

/// Opens `file` in the presentation's file input, then presses Verify.
async fn verify_file(c: &Client, file: &Path) -> Shown {
    let expected = std::fs::read_to_string(file)
        .expect("presentation")
        .encode_utf16()
        .count();
    c.find(Locator::Id("presentation-file"))
        .await
        .expect("file input")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let read = js(
            c,
            "return document.getElementById('presentation').value.length;",
        )
        .await;
        if read == json!(expected) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the file was not read: {read} characters of {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    press_verify(c).await
}

async fn press_verify(c: &Client) -> Shown {
    js(
        c,
        "document.getElementById('verdict').removeAttribute('data-verdict');",
    )
    .await;
    c.find(Locator::Id("verify"))
        .await
        .expect("verify button")
        .click()
        .await
        .expect("click");
    let v = js(
        c,
        "const v = document.getElementById('verdict'); \
         return [v.dataset.verdict || '', v.dataset.failed || '', v.dataset.verifyMs || '0', \
                 document.getElementById('result').innerText];",
    )
    .await;
    Shown {
        verdict: v[0].as_str().unwrap_or_default().to_owned(),
        failed: v[1].as_str().unwrap_or_default().to_owned(),
        ms: v[2].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1.0),
        page_text: v[3].as_str().unwrap_or_default().to_owned(),
    }
}

/// Every resource the page loaded: all of them next to it (under `prefix`), none elsewhere.
async fn assert_no_network(c: &Client, prefix: &str) {
    let names = js(
        c,
        "return performance.getEntriesByType('navigation').concat(\
         performance.getEntriesByType('resource')).map(e => e.name);",
    )
    .await;
    let names = names.as_array().expect("entries");
    assert!(!names.is_empty());
    for name in names {
        let name = name.as_str().unwrap_or_default();
        assert!(
            name.starts_with(prefix),
            "a request outside {prefix}: {name}"
        );
    }
}

/// An anchored birth credential (its id, and the witness key that cosigned it), a credential signed by a key no governance
/// accredited and never anchored (its id, `forged.json`), and two page folders: `page` with
/// the network's trust file and ledger export, `bare-page` without.
fn pages_with_a_forgery(net: &Net) -> (String, String, String) {
    let (id, witness) = net.anchored_birth();
    net.generate_key("registrar", "forger.key");
    let forged = net.issue("forger.key", "forged.json");
    let forged_id = field(&forged, "id");
    net.nansen(&[
        "verifier-page",
        "--out",
        "page",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
        "--ledger",
        "ledger.cbor",
    ]);
    net.nansen(&["verifier-page", "--out", "bare-page"]);
    (id, witness, forged_id)
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_from_disk_gives_the_three_verdicts_of_nansen_verify_with_no_network() {
    let net = Net::start();
    let (id, witness, forged_id) = pages_with_a_forgery(&net);

    let (_driver, c) = browser(&net.path("chromium-profile")).await;
    open(&c, &net.path("page")).await;
    assert!(
        text_of(&c, "trust-status").await.contains("witnesses"),
        "the trust file was not loaded"
    );
    set_audience(&c).await;

    // Valid: the proof's checkpoint cosigned by the trusted witness, the issuer accredited
    // and the credential active in the export, evidence fresh.
    let challenge = new_challenge(&c).await;
    let p1 = net.present(&id, &challenge, true, "p1.json");
    let shown = verify_file(&c, &p1).await;
    println!("valid:\n{}", shown.page_text);
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(
        shown.page_text.contains("Office 1, JO"),
        "{}",
        shown.page_text
    );
    assert!(shown.page_text.contains("Given name") && shown.page_text.contains("Amal"));
    assert!(
        !shown.page_text.contains("Haddad"),
        "an undisclosed claim is shown"
    );
    let page_ms = shown.ms;
    // On a phone's screen: with the checks unfolded, nothing is wider than the window
    // (headless Chromium makes the window at least 500 pixels wide).
    js(&c, "document.getElementById('checks-fold').open = true;").await;
    assert_eq!(
        js(
            &c,
            "return document.documentElement.scrollWidth <= window.innerWidth;"
        )
        .await,
        json!(true),
        "the verdict is wider than the window"
    );

    // The same presentation again: the challenge was spent.
    let shown = press_verify(&c).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "replay")
    );

    // A presentation made for another challenge.
    let other = net
        .nansen(&["challenge", "--audience", AUDIENCE])
        .trim()
        .to_owned();
    new_challenge(&c).await;
    let p2 = net.present(&id, &other, true, "p2.json");
    let shown = verify_file(&c, &p2).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "challenge")
    );

    // A forged issuer: well signed, bound to this challenge, but on no ledger.
    let challenge = text_of(&c, "challenge").await;
    let p3 = net.present(&forged_id, &challenge, false, "p3.json");
    let shown = verify_file(&c, &p3).await;
    println!("forged issuer:\n{}", shown.page_text);
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "ledger-anchoring")
    );
    assert_no_network(&c, "file:///").await;

    // Arabic: right to left, the verdict in Arabic.
    c.find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value("ar")
        .await
        .expect("choose Arabic");
    assert_eq!(
        js(&c, "return document.documentElement.dir;").await,
        json!("rtl")
    );
    assert_eq!(text_of(&c, "verdict").await, "غير صالح");
    // The failed check named in Arabic, from the wallet's catalogue (labels.js).
    let reason = text_of(&c, "reason").await;
    assert!(reason.contains("التثبيت في السجل"), "{reason}");

    // Without a trust file: signature only (issuer and status not checked), never valid.
    open(&c, &net.path("bare-page")).await;
    c.find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value("en")
        .await
        .expect("choose English");
    set_audience(&c).await;
    let challenge = new_challenge(&c).await;
    let p4 = net.present(&id, &challenge, true, "p4.json");
    let shown = verify_file(&c, &p4).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("signature-only", "")
    );
    assert!(
        shown.page_text.contains("SIGNATURE ONLY"),
        "{}",
        shown.page_text
    );
    assert_no_network(&c, "file:///").await;

    // The page served by the node at /verify/, with the node's own trust (its genesis,
    // witness key and export): valid, and nothing asked of the node after the page loaded.
    let api = if net.api.starts_with("http://") {
        net.api.clone()
    } else {
        format!("http://{}", net.api)
    };
    c.goto(&format!("{api}/verify"))
        .await
        .expect("open the served page");
    wait_ready(&c).await;
    let url = c.current_url().await.expect("url");
    assert!(url.as_str().ends_with("/verify/"), "{url}");
    let loaded = js(
        &c,
        "return performance.getEntriesByType('resource').length;",
    )
    .await;
    set_audience(&c).await;
    let challenge = new_challenge(&c).await;
    let p5 = net.present(&id, &challenge, true, "p5.json");
    let shown = verify_file(&c, &p5).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(
        shown.page_text.contains("Office 1, JO"),
        "{}",
        shown.page_text
    );
    assert_no_network(&c, &format!("{api}/verify/")).await;
    assert_eq!(
        js(
            &c,
            "return performance.getEntriesByType('resource').length;"
        )
        .await,
        loaded,
        "a request after the page loaded"
    );

    // Stale evidence: the same export under a policy of 0 s.
    net.nansen(&[
        "verifier-page",
        "--out",
        "strict-page",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
        "--ledger",
        "ledger.cbor",
        "--max-evidence-age",
        "0",
    ]);
    open(&c, &net.path("strict-page")).await;
    let challenge = new_challenge(&c).await;
    let p6 = net.present(&id, &challenge, true, "p6.json");
    let shown = verify_file(&c, &p6).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "revocation-freshness")
    );

    // Revoked: the registrar revokes, the officer's new trust file carries the newer export.
    let revoked = net.node_cmd(&[
        "registrar",
        "--registrar",
        "office-1",
        "--key",
        "r.key",
        "--api",
        &net.api,
        "revoke",
        "--credential-id",
        &id,
        "--reason",
        "fraud",
    ]);
    assert!(revoked.contains("accepted"), "{revoked}");
    net.node_cmd(&["export", "--api", &net.api, "--out", "ledger-2.cbor"]);
    net.nansen(&[
        "verifier-page",
        "--out",
        "revoked-page",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
        "--ledger",
        "ledger-2.cbor",
    ]);
    open(&c, &net.path("revoked-page")).await;
    let challenge = new_challenge(&c).await;
    let p7 = net.present(&id, &challenge, true, "p7.json");
    let shown = verify_file(&c, &p7).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "credential-status")
    );
    // This browser has no camera at all: the page says so in words.
    c.find(Locator::Id("scan"))
        .await
        .expect("scan button")
        .click()
        .await
        .expect("click");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let said = text_of(&c, "scan-status").await;
        if said
            == "No camera could be opened (NotFoundError): open a file or paste the text instead."
        {
            break;
        }
        assert!(Instant::now() < deadline, "no word on the camera: {said:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.close().await.expect("close the session");

    // The same verification in this process, for the figure.
    let trust = std::fs::read_to_string(net.path("page/trust.json")).expect("trust file");
    let verifier = nansen_verifier::page::PageVerifier::new(&trust).expect("trust opens");
    let request = nansen_verifier::page::PageRequest {
        presentation: std::fs::read_to_string(&p1).expect("presentation"),
        challenge: text_of_file_challenge(&p1),
        audience: AUDIENCE.to_owned(),
        now: now(),
        max_age: None,
        replay_record: String::new(),
    };
    let started = Instant::now();
    let answer = verifier.verify(&request);
    let native_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(answer.report.expect("report")["verdict"], "valid");
    println!(
        "verify one presentation: {page_ms:.2} ms in Chromium (WebAssembly), \
         {native_ms:.2} ms in process (native, debug build)"
    );
}

/// The challenge a presentation was bound to (its KB-JWT's nonce), read back for the
/// in-process run.
fn text_of_file_challenge(path: &Path) -> String {
    use base64::Engine as _;
    let text = std::fs::read_to_string(path).expect("presentation");
    let envelope: Value = serde_json::from_str(&text).expect("envelope");
    let sd = envelope["sd_jwt"].as_str().expect("sd_jwt");
    let kb = sd.rsplit('~').next().expect("kb-jwt");
    let payload = kb.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    let payload: Value = serde_json::from_slice(&bytes).expect("json");
    payload["nonce"].as_str().expect("nonce").to_owned()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Side of the fake camera's square frames, in pixels.
const FRAME: usize = 720;
/// The fake camera's frame rate, and the frames each code stays in view.
const FPS: usize = 10;
const FRAMES_PER_PART: usize = 6;

/// An 8-bit greyscale PNG as (width, height, pixels).
fn grey_png(path: &Path) -> (usize, usize, Vec<u8>) {
    let file = std::fs::File::open(path).expect("PNG file");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("PNG header");
    let mut buf = vec![0u8; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(
        (info.color_type, info.bit_depth),
        (png::ColorType::Grayscale, png::BitDepth::Eight),
        "{}: not 8-bit grey",
        path.display()
    );
    let (w, h) = (info.width as usize, info.height as usize);
    let pixels = buf
        .chunks(info.line_size)
        .take(h)
        .flat_map(|row| row[..w].to_vec())
        .collect();
    (w, h, pixels)
}

/// Writes a YUV4MPEG2 (4:2:0) video for Chromium's fake camera: each picture (grey pixels)
/// centred on a white [`FRAME`]-pixel square, [`FRAMES_PER_PART`] frames each.
fn write_y4m(path: &Path, pictures: &[(usize, usize, Vec<u8>)]) {
    let mut out = format!("YUV4MPEG2 W{FRAME} H{FRAME} F{FPS}:1 Ip A1:1 C420jpeg\n").into_bytes();
    let chroma = vec![128u8; (FRAME / 2) * (FRAME / 2)];
    for (w, h, pixels) in pictures {
        assert!(
            *w <= FRAME && *h <= FRAME,
            "a {w}x{h} code is larger than the frame"
        );
        let mut luma = vec![255u8; FRAME * FRAME];
        let (x0, y0) = ((FRAME - w) / 2, (FRAME - h) / 2);
        for y in 0..*h {
            let at = (y0 + y) * FRAME + x0;
            luma[at..at + w].copy_from_slice(&pixels[y * w..(y + 1) * w]);
        }
        for _ in 0..FRAMES_PER_PART {
            out.extend_from_slice(b"FRAME\n");
            out.extend_from_slice(&luma);
            out.extend_from_slice(&chroma);
            out.extend_from_slice(&chroma);
        }
    }
    std::fs::write(path, out).expect("write the video");
}

/// Cuts the browser's network (chromedriver's Chromium command `network_conditions`,
/// offline), as a border post without a connection.
async fn cut_network(c: &Client, port: u16) {
    use std::io::{Read as _, Write as _};
    let session = c.session_id().await.expect("session").expect("session id");
    let body = json!({"network_conditions": {"offline": true, "latency": 0,
        "download_throughput": 0, "upload_throughput": 0}})
    .to_string();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("chromedriver");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "POST /session/{session}/chromium/network_conditions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    // The status line is enough (chromedriver may keep the connection open).
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n") {
        let n = stream.read(&mut byte).expect("chromedriver's answer");
        assert!(n == 1, "chromedriver closed the connection");
        answer.push(byte[0]);
    }
    let status = String::from_utf8_lossy(&answer);
    assert!(
        status.starts_with("HTTP/1.1 200"),
        "network_conditions: {status}"
    );
}

/// Waits for a verdict the page gives by itself (after a scan), up to `secs` seconds.
async fn wait_verdict(c: &Client, secs: u64) -> Shown {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let v = js(
            c,
            "const v = document.getElementById('verdict'); \
             return [v.dataset.verdict || '', v.dataset.failed || '', v.dataset.verifyMs || '0', \
                     document.getElementById('result').innerText];",
        )
        .await;
        if v[0].as_str().is_some_and(|s| !s.is_empty()) {
            return Shown {
                verdict: v[0].as_str().unwrap_or_default().to_owned(),
                failed: v[1].as_str().unwrap_or_default().to_owned(),
                ms: v[2].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1.0),
                page_text: v[3].as_str().unwrap_or_default().to_owned(),
            };
        }
        if Instant::now() > deadline {
            let status = text_of(c, "scan-status").await;
            panic!("no verdict after {secs} s; the scan says: {status}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Forgets the last verdict and the scan's progress (before a new scan).
async fn clear_verdict(c: &Client) {
    js(
        c,
        "document.getElementById('verdict').removeAttribute('data-verdict'); \
         const s = document.getElementById('scan-status'); \
         for (const k of ['seen', 'read', 'total', 'scanMs']) delete s.dataset[k];",
    )
    .await;
}

/// `nansen present` of the birth credential (given name, birth date, ledger proof) for
/// `challenge`, as QR PNG parts of `framing` (`ns1`: several codes, `ns2`: one) and their
/// text (`<name>.txt`): returns the parts' PNG files
/// in order.
fn present_codes(net: &Net, id: &str, challenge: &str, name: &str, framing: &str) -> Vec<PathBuf> {
    let out = format!("{name}.json");
    let png = format!("{name}.png");
    let text = format!("{name}.txt");
    net.nansen(&[
        "present",
        "--yes",
        id,
        "--claims",
        "givenName,birthDate",
        "--challenge",
        challenge,
        "--audience",
        AUDIENCE,
        "--node",
        &net.api,
        "--out",
        &out,
        "--qr-png",
        &png,
        "--qr-text",
        &text,
        "--qr-framing",
        framing,
    ]);
    let one = net.path(&png);
    if one.exists() {
        return vec![one];
    }
    (1..)
        .map(|i| net.path(&format!("{name}-{i}.png")))
        .take_while(|p| p.exists())
        .collect()
}

/// Shows `parts` to the fake camera in a shuffled order (last first, then the others), then
/// presses "Scan with camera"; returns the verdict and the progress the page showed.
async fn scan_with_camera(c: &Client, video: &Path, parts: &[PathBuf]) -> (Shown, String) {
    let mut order: Vec<&PathBuf> = parts.iter().collect();
    order.rotate_right(1);
    if order.len() > 2 {
        order.swap(1, 2);
    }
    let pictures: Vec<_> = order.iter().map(|p| grey_png(p)).collect();
    write_y4m(video, &pictures);
    clear_verdict(c).await;
    c.find(Locator::Id("scan"))
        .await
        .expect("scan button")
        .click()
        .await
        .expect("click");
    let shown = wait_verdict(c, 60).await;
    let seen = js(
        c,
        "return document.getElementById('scan-status').dataset.seen || '';",
    )
    .await;
    assert_eq!(
        js(c, "return document.getElementById('camera').dataset.state;").await,
        json!("off"),
        "the camera still runs after a complete read"
    );
    (shown, seen.as_str().unwrap_or_default().to_owned())
}

/// Chooses `files` in the presentation's file input at once.
async fn choose_files(c: &Client, files: &[PathBuf]) {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    c.find(Locator::Id("presentation-file"))
        .await
        .expect("file input")
        .send_keys(&names.join("\n"))
        .await
        .expect("choose the files");
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_reads_codes_from_the_camera_and_pictures_and_shows_its_challenge_code() {
    let net = Net::start();
    let (id, witness) = net.anchored_birth();
    net.nansen(&[
        "verifier-page",
        "--out",
        "page",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
        "--ledger",
        "ledger.cbor",
    ]);
    // Chromium's fake camera plays this file (read again at each getUserMedia); until a
    // presentation is made for the page's challenge it shows a white frame.
    let video = net.path("camera.y4m");
    write_y4m(&video, &[(1, 1, vec![255])]);
    let (_driver, c, port) = browser_with(
        &net.path("chromium-profile"),
        &[
            "--use-fake-ui-for-media-stream".to_owned(),
            "--use-fake-device-for-media-stream".to_owned(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ],
    )
    .await;

    // From disk, the network cut once the page has loaded.
    open(&c, &net.path("page")).await;
    cut_network(&c, port).await;
    set_audience(&c).await;

    // The camera: every part of the real codes, shuffled, several frames each.
    let challenge = new_challenge(&c).await;
    let parts = present_codes(&net, &id, &challenge, "cam", "ns1");
    let n = parts.len();
    assert!(n >= 2, "{n} codes: the camera test needs several");
    let (shown, seen) = scan_with_camera(&c, &video, &parts).await;
    println!("camera, {n} codes: {seen}\n{}", shown.page_text);
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    let expected: Vec<String> = (1..=n).map(|k| format!("{k}/{n}")).collect();
    assert_eq!(seen, expected.join(" "), "the progress shown on the way");
    assert_eq!(text_of(&c, "scan-status").await, format!("{n} of {n} read"));
    let frame_ms = js(
        &c,
        "return document.getElementById('scan-status').dataset.scanMs || '';",
    )
    .await;
    let frames = js(
        &c,
        "return document.getElementById('camera').dataset.frames || '';",
    )
    .await;
    println!("one {FRAME}x{FRAME} camera frame decoded in {frame_ms} ms (WebAssembly, Chromium); {frames} frames scanned");

    // A presentation for another challenge, through the camera (one NS2 code).
    let other = net
        .nansen(&["challenge", "--audience", AUDIENCE])
        .trim()
        .to_owned();
    new_challenge(&c).await;
    let parts = present_codes(&net, &id, &other, "cam-other", "ns2");
    let (shown, _) = scan_with_camera(&c, &video, &parts).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "challenge")
    );

    // In French: the page's words, the progress and the verdict.
    c.find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value("fr")
        .await
        .expect("choose French");
    assert_eq!(
        js(
            &c,
            "return [document.documentElement.lang, document.documentElement.dir];"
        )
        .await,
        json!(["fr", "ltr"])
    );
    assert_eq!(text_of(&c, "verdict").await, "INVALIDE");
    assert_eq!(text_of(&c, "scan").await, "Scanner avec la caméra");
    let challenge = new_challenge(&c).await;
    let parts = present_codes(&net, &id, &challenge, "cam-fr", "ns1");
    let (shown, _) = scan_with_camera(&c, &video, &parts).await;
    assert_eq!(shown.verdict, "valid");
    assert_eq!(text_of(&c, "verdict").await, "VALIDE");
    assert!(
        shown.page_text.contains("Prénom") && shown.page_text.contains("Délivré par Office 1, JO"),
        "{}",
        shown.page_text
    );
    assert_eq!(text_of(&c, "scan-status").await, format!("{n} sur {n} lus"));
    c.find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value("en")
        .await
        .expect("choose English");

    // Pictures chosen as files: a phone's photo of a code (grey background, rotated 5°)
    // is read by the same finder; then the presentation's own code pictures, all at once.
    clear_verdict(&c).await;
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/qr");
    choose_files(&c, &[vectors.join("bundle-part-grey-rotated-5deg.png")]).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while text_of(&c, "scan-status").await != "1 of 3 read" {
        assert!(
            Instant::now() < deadline,
            "the photo was not read: {}",
            text_of(&c, "scan-status").await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A hostile picture (80 KB of PNG tiled with 40,000 finder patterns) is answered by name.
    choose_files(&c, &[vectors.join("finder-tiles.png")]).await;
    let started = Instant::now();
    let said = loop {
        let said = text_of(&c, "scan-status").await;
        if said.contains("finder-tiles.png") {
            break said;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the hostile picture was not answered: {said}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        said.contains("(NoQrCode)") || said.contains("(UnreadableQrCode)"),
        "{said}"
    );
    println!(
        "hostile picture answered in {} ms (file read, drawn, scanned): {said}",
        started.elapsed().as_millis()
    );
    let challenge = new_challenge(&c).await;
    let parts = present_codes(&net, &id, &challenge, "files", "ns1");
    clear_verdict(&c).await;
    choose_files(&c, &parts).await;
    let shown = wait_verdict(&c, 30).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    // The parts' text (`--qr-text`, NS2 lines) opened as a file.
    let challenge = new_challenge(&c).await;
    present_codes(&net, &id, &challenge, "lines", "ns2");
    clear_verdict(&c).await;
    choose_files(&c, &[net.path("lines.txt")]).await;
    let shown = wait_verdict(&c, 30).await;
    assert_eq!(
        (
            shown.verdict.as_str(),
            shown.failed.as_str(),
            shown.page_text.contains("Amal")
        ),
        ("valid", "", true)
    );

    // The page's challenge code, photographed off the screen: `nansen present
    // --challenge-qr` reads the challenge and audience the page shows.
    let challenge = new_challenge(&c).await;
    let code_text = js(
        &c,
        "const k = document.getElementById('challenge-code'); k.scrollIntoView(); \
         return k.dataset.text;",
    )
    .await;
    assert_eq!(code_text, json!(format!("NSC1:{challenge}:{AUDIENCE}")));
    let shot = c.screenshot().await.expect("screenshot");
    std::fs::write(net.path("screen.png"), &shot).expect("write the screenshot");
    net.nansen(&[
        "present",
        "--yes",
        &id,
        "--claims",
        "givenName,birthDate",
        "--challenge-qr",
        "screen.png",
        "--node",
        &net.api,
        "--out",
        "from-screen.json",
    ]);
    let from_screen = net.path("from-screen.json");
    assert_eq!(text_of_file_challenge(&from_screen), challenge);
    let shown = verify_file(&c, &from_screen).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert_no_network(&c, "file:///").await;
    c.close().await.expect("close the session");

    // The page served by the node, the network cut after load and the node stopped: the
    // codes chosen as pictures still give the verdict.
    // Its camera exists but the officer refuses it (prompts denied).
    let (_driver2, c, port) = browser_with(
        &net.path("chromium-profile-2"),
        &[
            "--use-fake-device-for-media-stream".to_owned(),
            "--deny-permission-prompts".to_owned(),
        ],
    )
    .await;
    let api = if net.api.starts_with("http://") {
        net.api.clone()
    } else {
        format!("http://{}", net.api)
    };
    c.goto(&format!("{api}/verify/"))
        .await
        .expect("open the served page");
    wait_ready(&c).await;
    cut_network(&c, port).await;
    set_audience(&c).await;
    let challenge = new_challenge(&c).await;
    let parts = present_codes(&net, &id, &challenge, "served", "ns2");
    let mut net = net;
    drop(net.node.take());
    // The camera refused: the page says so in words, and the pictures still give the
    // verdict.
    c.find(Locator::Id("scan"))
        .await
        .expect("scan button")
        .click()
        .await
        .expect("click");
    let deadline = Instant::now() + Duration::from_secs(20);
    let said = loop {
        let said = text_of(&c, "scan-status").await;
        if said.ends_with("open a file or paste the text instead.") {
            break said;
        }
        assert!(Instant::now() < deadline, "no word on the camera: {said:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        said,
        "The camera was refused (NotAllowedError): open a file or paste the text instead."
    );
    clear_verdict(&c).await;
    choose_files(&c, &parts).await;
    let shown = wait_verdict(&c, 30).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(
        shown.page_text.contains("Office 1, JO"),
        "{}",
        shown.page_text
    );
    c.close().await.expect("close the session");
}

/// A refugee-status credential with a portrait, issued to the holder and anchored; returns
/// its id once a checkpoint of it is cosigned.
fn issue_refugee_with_portrait(net: &Net) -> String {
    use base64::Engine as _;
    let jpeg =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portrait.jpg"))
            .expect("portrait fixture");
    let claims = json!({
        "givenName": "Amal", "familyName": "Haddad", "birthDate": "1990-05-17",
        "countryOfOrigin": "SY", "hostCountry": "JO", "statusGrantedDate": "2024-03-04",
        "nationality": "SY", "caseNumber": "JO-AZR-2024-004517",
        "registrationNumber": "JO-AZ-R-2024-000123", "registrationDate": "2024-03-04",
        "portrait": format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&jpeg)
        ),
    });
    net.anchor_refugee_status(&claims.to_string())
}

/// The page reads the QR codes' text `nansen present` writes (`NS2`, the compact envelope)
/// from its file input: the border profile in one code is VALID; a presentation that
/// discloses the portrait (two codes) is VALID and shows the portrait as an image.
#[tokio::test(flavor = "current_thread")]
async fn the_page_verifies_ns2_codes_and_shows_a_disclosed_portrait() {
    let net = Net::start();
    let id = issue_refugee_with_portrait(&net);
    let witness = net.witness_key();
    net.node_cmd(&["export", "--api", &net.api, "--out", "ledger.cbor"]);
    net.nansen(&[
        "verifier-page",
        "--out",
        "page",
        "--genesis",
        "genesis.cbor",
        "--witness",
        &witness,
        "--ledger",
        "ledger.cbor",
    ]);
    let (_driver, c) = browser(&net.path("chromium-profile")).await;
    open(&c, &net.path("page")).await;
    set_audience(&c).await;
    let present = |challenge: &str, claims: &[&str], qr: &str| {
        let api = net.api.clone();
        let mut args = vec![
            "present",
            "--yes",
            &id,
            "--challenge",
            challenge,
            "--audience",
            AUDIENCE,
            "--node",
            &api,
            "--qr-text",
            qr,
        ];
        args.extend_from_slice(claims);
        net.nansen(&args);
        let text = std::fs::read_to_string(net.path(qr)).expect("QR text");
        assert!(text.lines().all(|l| l.starts_with("NS2:")), "{text}");
        text.lines().count()
    };

    let challenge = new_challenge(&c).await;
    assert_eq!(
        present(&challenge, &["--profile", "border"], "border.qr"),
        1
    );
    // The parts' text opened as a file: its NS2 lines are gathered as codes and verified.
    clear_verdict(&c).await;
    choose_files(&c, &[net.path("border.qr")]).await;
    let shown = wait_verdict(&c, 30).await;
    println!("border profile, one NS2 code:\n{}", shown.page_text);
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(
        shown.page_text.contains("Country of origin"),
        "{}",
        shown.page_text
    );
    assert_eq!(
        js(&c, "return document.getElementById('portrait') === null;").await,
        json!(true)
    );

    let challenge = new_challenge(&c).await;
    let codes = present(
        &challenge,
        &["--claims", "givenName,familyName,portrait"],
        "face.qr",
    );
    println!("with the portrait: {codes} NS2 code(s)");
    // The parts' text opened as a file: its NS2 lines are gathered as codes and verified.
    clear_verdict(&c).await;
    choose_files(&c, &[net.path("face.qr")]).await;
    let shown = wait_verdict(&c, 30).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(shown.page_text.contains("Portrait"), "{}", shown.page_text);
    // The image decodes from its data URI (no request): 60 x 80 pixels.
    let deadline = Instant::now() + Duration::from_secs(10);
    let image = loop {
        let image = js(
            &c,
            "const i = document.getElementById('portrait'); \
             return i ? [i.complete, i.naturalWidth, i.naturalHeight, i.src.slice(0, 23)] : null;",
        )
        .await;
        if image[1] != json!(0) || Instant::now() > deadline {
            break image;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(image, json!([true, 60, 80, "data:image/jpeg;base64,"]));
    assert_no_network(&c, "file:///").await;
}

/// The texts `nansen verify --lang` gives each check of `checks` (the report's JSON): a ledger
/// check's message by its detail key, a failed presentation check's error by its name, with
/// the catalogue's `tr` (Arabic isolated); `None` for a check with nothing to say.
fn cli_details(lang: nansen_wallet::i18n::Lang, checks: &Value) -> Vec<String> {
    use nansen_verifier::ledger_checks::{Detail, DETAILS};
    fn detail_of(m: &Value) -> Detail {
        let key = m["key"].as_str().expect("key");
        let key = DETAILS
            .iter()
            .find(|(k, _)| *k == key)
            .unwrap_or_else(|| panic!("{key} is not a detail key of the core"))
            .0;
        Detail {
            key,
            args: m["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| a.as_str().expect("an argument").to_owned())
                .collect(),
            then: m["then"]
                .as_array()
                .expect("then")
                .iter()
                .map(detail_of)
                .collect(),
            nested: m["nested"]
                .as_array()
                .map(|nested| {
                    nested
                        .iter()
                        .map(|n| (n["at"].as_u64().expect("at") as usize, detail_of(n)))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
    checks
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            let error = c["error"].as_str();
            if c["message"].is_object() {
                let text = nansen_wallet::i18n::check_detail(lang, &detail_of(&c["message"]));
                match error {
                    Some(e) => format!("{e}: {text}"),
                    None => text,
                }
            } else if let Some(e) = error {
                let args: Vec<&str> = c["error_args"]
                    .as_array()
                    .expect("error_args")
                    .iter()
                    .map(|a| a.as_str().expect("an argument"))
                    .collect();
                format!(
                    "{e}: {}",
                    nansen_wallet::i18n::tr(lang, &format!("cred-{e}"), &args)
                )
            } else {
                String::new()
            }
        })
        .collect()
}

/// The checks the page shows (the third cell of each row, as its text) and the report's
/// checks it showed them from.
async fn shown_details(c: &Client) -> (Vec<String>, Value) {
    let v = js(
        c,
        "return [Array.from(document.querySelectorAll('#checks tr')).map(r => r.cells[2].textContent), \
                 JSON.stringify(lastAnswer.report.checks), \
                 document.getElementById('checks').dataset.untranslated];",
    )
    .await;
    assert_eq!(v[2], json!(""), "checks told in the core's English");
    let rows = v[0]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r.as_str().unwrap_or_default().to_owned())
        .collect();
    let checks = serde_json::from_str(v[1].as_str().expect("checks")).expect("JSON");
    (rows, checks)
}

/// Pastes `text` into the presentation's box as the officer's paste would (a `paste` event
/// carrying the text).
async fn paste(c: &Client, text: &str) {
    c.execute(
        "const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]); \
         const box = document.getElementById('presentation'); box.focus(); \
         const e = new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}); \
         if (box.dispatchEvent(e)) box.value += arguments[0];",
        vec![json!(text)],
    )
    .await
    .expect("paste");
}

async fn choose_lang(c: &Client, lang: &str) {
    c.find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value(lang)
        .await
        .expect("choose the language");
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_says_what_it_checked_in_the_officer_s_language_and_claims_only_when_vouched() {
    use nansen_wallet::i18n::Lang;
    let net = Net::start();
    let (id, _, forged_id) = pages_with_a_forgery(&net);
    let (_driver, c) = browser(&net.path("chromium-profile")).await;
    open(&c, &net.path("page")).await;
    choose_lang(&c, "fr").await;
    set_audience(&c).await;

    // Valid, in French: every check's detail is the CLI's French text for its key.
    let challenge = new_challenge(&c).await;
    let p1 = net.present(&id, &challenge, true, "p1.json");
    let shown = verify_file(&c, &p1).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert!(shown.page_text.contains("Amal"), "{}", shown.page_text);
    let (rows, checks) = shown_details(&c).await;
    println!("valid, French:\n{}", rows.join("\n"));
    assert_eq!(rows, cli_details(Lang::Fr, &checks));
    assert!(
        rows.iter()
            .any(|r| r.contains("ancrage") || r.contains("témoin") || r.contains("preuve")),
        "no French in the details: {rows:?}"
    );

    // A wrong challenge: invalid, its error told in French, no claim shown.
    let other = net
        .nansen(&["challenge", "--audience", AUDIENCE])
        .trim()
        .to_owned();
    let p2 = net.present(&id, &other, true, "p2.json");
    let shown = verify_file(&c, &p2).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "challenge")
    );
    let (rows, checks) = shown_details(&c).await;
    assert_eq!(rows, cli_details(Lang::Fr, &checks));
    assert!(
        rows.iter()
            .any(|r| r.starts_with("NonceMismatch: le nonce")),
        "{rows:?}"
    );
    assert!(!shown.page_text.contains("Amal"), "{}", shown.page_text);
    assert!(
        !shown.page_text.contains("2024-02-29"),
        "{}",
        shown.page_text
    );

    // A forged issuer: invalid at a ledger check, no claim in the page's text or DOM.
    let challenge = new_challenge(&c).await;
    let p3 = net.present(&forged_id, &challenge, false, "p3.json");
    let shown = verify_file(&c, &p3).await;
    println!("forged issuer, French:\n{}", shown.page_text);
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("invalid", "ledger-anchoring")
    );
    assert!(!shown.page_text.contains("Amal"), "{}", shown.page_text);
    assert!(
        !shown.page_text.contains("2024-02-29"),
        "{}",
        shown.page_text
    );
    assert_eq!(
        js(&c, "return document.getElementById('claims').rows.length;").await,
        json!(0)
    );
    let (rows, checks) = shown_details(&c).await;
    assert_eq!(rows, cli_details(Lang::Fr, &checks));
    // The same verdict re-said in Arabic: the details isolated as the CLI isolates them.
    choose_lang(&c, "ar").await;
    let (rows, checks) = shown_details(&c).await;
    println!("forged issuer, Arabic:\n{}", rows.join("\n"));
    assert_eq!(rows, cli_details(Lang::Ar, &checks));
    assert!(rows.iter().any(|r| r.contains('\u{2067}')), "{rows:?}");
    // And the CLI says the same: no claim under its INVALID verdict.
    let cli = Command::new(env!("CARGO_BIN_EXE_nansen"))
        .args([
            "verify",
            "p3.json",
            "--challenge",
            &challenge,
            "--audience",
            AUDIENCE,
        ])
        .args([
            "--ledger",
            "ledger.cbor",
            "--genesis",
            "genesis.cbor",
            "--lang",
            "fr",
        ])
        .current_dir(net.dir.path())
        .env("NANSEN_VERIFIER_DIR", net.path("cli-verifier"))
        .env_remove("LC_ALL")
        .output()
        .expect("nansen verify");
    let cli_text = String::from_utf8_lossy(&cli.stdout);
    assert_eq!(cli.status.code(), Some(1), "{}", output_text(&cli));
    assert!(!cli_text.contains("Amal"), "{cli_text}");

    // Pasted NS1 parts, one paste each, in the order 1, n, ..., 2: gathered with "k of n
    // read", verified when the last arrives.
    choose_lang(&c, "en").await;
    clear_verdict(&c).await;
    let challenge = new_challenge(&c).await;
    present_codes(&net, &id, &challenge, "pasted", "ns1");
    let lines: Vec<String> = std::fs::read_to_string(net.path("pasted.txt"))
        .expect("the parts' text")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let n = lines.len();
    assert!(n >= 2, "{n} parts");
    let mut order: Vec<usize> = (0..n).collect();
    order[1..].reverse();
    for (k, &i) in order.iter().enumerate() {
        paste(&c, &lines[i]).await;
        if k + 1 < n {
            assert_eq!(
                text_of(&c, "scan-status").await,
                format!("{} of {n} read", k + 1)
            );
            assert_eq!(
                js(&c, "return document.getElementById('presentation').value;").await,
                json!(""),
                "a part left in the box"
            );
        }
    }
    let shown = wait_verdict(&c, 10).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );
    assert_eq!(text_of(&c, "scan-status").await, format!("{n} of {n} read"));
    // NS2: one code, pasted whole.
    clear_verdict(&c).await;
    let challenge = new_challenge(&c).await;
    present_codes(&net, &id, &challenge, "pasted2", "ns2");
    let ns2 = std::fs::read_to_string(net.path("pasted2.txt")).expect("NS2 text");
    assert!(ns2.starts_with("NS2:"), "{ns2}");
    paste(&c, ns2.trim()).await;
    let shown = wait_verdict(&c, 10).await;
    assert_eq!(
        (shown.verdict.as_str(), shown.failed.as_str()),
        ("valid", "")
    );

    // Signature only (no trust file): the claims, with the sentence that issuer and status
    // were not checked.
    open(&c, &net.path("bare-page")).await;
    choose_lang(&c, "en").await;
    set_audience(&c).await;
    let challenge = new_challenge(&c).await;
    let p4 = net.present(&id, &challenge, true, "p4.json");
    let shown = verify_file(&c, &p4).await;
    assert_eq!(shown.verdict, "signature-only");
    assert!(shown.page_text.contains("Amal"), "{}", shown.page_text);
    assert!(
        shown.page_text.contains("Issuer and status not checked"),
        "{}",
        shown.page_text
    );
    let (rows, checks) = shown_details(&c).await;
    assert_eq!(rows, cli_details(Lang::En, &checks));
    c.close().await.expect("close the session");
}
