// The Nansen verifier page: the verification runs in WebAssembly (verifier.wasm, compiled from
// the project's crate nansen-verifier: the rules of `nansen verify`), called through its C ABI
// with JSON in and out (specs/credentials.md section 14). This script only moves text between
// the page, the module and the browser's storage; it makes no network request.
"use strict";

const TEXT = {
  en: {
    title: "Nansen verifier", ask: "Ask the holder to present with", challenge: "Challenge",
    audience: "Audience", "new-challenge": "New challenge", presentation: "Presentation",
    paste: "Paste the presentation text here", "presentation-file": "Or open a file",
    verify: "Verify", trust: "Trust", "trust-file": "Load a trust file", checks: "Checks",
    valid: "VALID", invalid: "INVALID", "signature-only": "SIGNATURE ONLY",
    error: "NOT VERIFIED", "failed-check": "Failed check: {0}",
    "signature-only-why": "Issuer and status not checked ({0})",
    "issued-by": "Issued by {0}, {1}", "issuer-key": "Issuer key (not accredited by this page's trust): {0}",
    "evidence-age": "Evidence age: {0}", "evidence-none": "No status evidence",
    "no-trust": "No trust file: issuer and status cannot be checked (signature only).",
    "trust-loaded": "Network {0}, witnesses: {1}, policy: evidence at most {2} old, ledger: {3} entries.",
    "trust-no-ledger": "none (status not checked)", "loading": "Loading the verifier…",
    kind: "Kind", pass: "pass", fail: "fail", skip: "skipped", "not-run": "not run",
  },
  fr: {
    title: "Vérificateur Nansen", ask: "Demandez au titulaire de présenter avec", challenge: "Défi",
    audience: "Audience", "new-challenge": "Nouveau défi", presentation: "Présentation",
    paste: "Collez ici le texte de la présentation", "presentation-file": "Ou ouvrez un fichier",
    verify: "Vérifier", trust: "Confiance", "trust-file": "Charger un fichier de confiance",
    checks: "Contrôles", valid: "VALIDE", invalid: "INVALIDE", "signature-only": "SIGNATURE SEULE",
    error: "NON VÉRIFIÉ", "failed-check": "Contrôle échoué : {0}",
    "signature-only-why": "Émetteur et statut non vérifiés ({0})",
    "issued-by": "Délivré par {0}, {1}", "issuer-key": "Clé de l'émetteur (non accréditée par la confiance de cette page) : {0}",
    "evidence-age": "Âge de la preuve : {0}", "evidence-none": "Aucune preuve de statut",
    "no-trust": "Aucun fichier de confiance : émetteur et statut ne peuvent être vérifiés (signature seule).",
    "trust-loaded": "Réseau {0}, témoins : {1}, politique : preuve d'au plus {2}, registre : {3} entrées.",
    "trust-no-ledger": "aucun (statut non vérifié)", "loading": "Chargement du vérificateur…",
    kind: "Type", pass: "réussi", fail: "échoué", skip: "ignoré", "not-run": "non exécuté",
  },
  ar: {
    title: "مُحقِّق نانسن", ask: "اطلب من الحامل التقديم باستخدام", challenge: "التحدي",
    audience: "الجهة", "new-challenge": "تحدٍّ جديد", presentation: "العرض",
    paste: "الصق نص العرض هنا", "presentation-file": "أو افتح ملفًا",
    verify: "تحقّق", trust: "الثقة", "trust-file": "حمّل ملف الثقة", checks: "الفحوص",
    valid: "صالح", invalid: "غير صالح", "signature-only": "التوقيع فقط",
    error: "لم يتم التحقق", "failed-check": "الفحص الفاشل: {0}",
    "signature-only-why": "لم يتم فحص الجهة المُصدِرة والحالة ({0})",
    "issued-by": "صادر عن {0}، {1}", "issuer-key": "مفتاح الجهة المُصدِرة (غير معتمد في ثقة هذه الصفحة): {0}",
    "evidence-age": "عمر الدليل: {0}", "evidence-none": "لا يوجد دليل على الحالة",
    "no-trust": "لا يوجد ملف ثقة: لا يمكن فحص الجهة المُصدِرة والحالة (التوقيع فقط).",
    "trust-loaded": "الشبكة {0}، الشهود: {1}، السياسة: دليل لا يتجاوز عمره {2}، السجل: {3} قيود.",
    "trust-no-ledger": "لا شيء (الحالة غير مفحوصة)", "loading": "جارٍ تحميل المُحقِّق…",
    kind: "النوع", pass: "ناجح", fail: "فاشل", skip: "متجاوز", "not-run": "لم يُنفَّذ",
  },
};

const $ = (id) => document.getElementById(id);
let lang = "en";
let wasm = null;
let lastAnswer = null;
let trustSummary = null;

function t(key, ...args) {
  const text = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;
  return text.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

function label(claim) {
  const labels = (window.NANSEN_LABELS || {})[lang] || {};
  return labels[claim] || claim;
}

function checkLabel(name) {
  const labels = (window.NANSEN_CHECK_LABELS || {})[lang] || {};
  return labels[name] || name;
}

// The Unicode isolates nansen-i18n's `tr` puts around an Arabic message (RIGHT-TO-LEFT
// ISOLATE) and each of its arguments (FIRST STRONG ISOLATE), ended by POP DIRECTIONAL ISOLATE.
const RLI = "\u2067", FSI = "\u2068", PDI = "\u2069";

// `text` between `opening` and PDI, isolates inside it balanced: a stray PDI dropped, one left
// open closed (nansen-i18n's `isolate`).
function isolate(opening, text) {
  let out = opening;
  let open = 0;
  for (const ch of String(text)) {
    if (ch >= "\u2066" && ch <= "\u2068") { open += 1; out += ch; }
    else if (ch === PDI) { if (open > 0) { open -= 1; out += ch; } }
    else out += ch;
  }
  return out + PDI.repeat(open + 1);
}

// The text of `key` in `table` (labels.js: NANSEN_DETAILS, NANSEN_ERRORS, made from the
// catalogue of `nansen verify --lang`) filled with `args` as `tr` fills it, Arabic isolated;
// null when labels.js has no text for the key.
function catalogueText(table, key, args) {
  const texts = ((window[table] || {})[lang]) || {};
  const template = texts[key];
  if (typeof template !== "string") return null;
  const filled = template.replace(/\{(\d+)\}/g, (whole, i) => {
    const n = Number(i);
    if (n >= args.length) return whole;
    return lang === "ar" ? isolate(FSI, args[n]) : String(args[n]);
  });
  return lang === "ar" ? RLI + filled + PDI : filled;
}

// A ledger check's detail message ({key, args, then, nested}) in the page's language: the
// arguments that are messages of their own (`nested`, each with its place `at`: the ledger's
// source) told first, the messages after it joined with "; " (the core's
// `Detail::render_with`); null when a key is unknown.
function detailText(message) {
  const args = (message.args || []).slice();
  for (const inner of message.nested || []) {
    const told = detailText(inner);
    if (told == null) return null;
    if (inner.at < args.length) args[inner.at] = told;
  }
  let out = catalogueText("NANSEN_DETAILS", message.key, args);
  if (out == null) return null;
  for (const next of message.then || []) {
    const more = detailText(next);
    if (more == null) return null;
    out += "; " + more;
  }
  return out;
}

// What a check found, in the page's language as `nansen verify --lang` says it: a ledger
// check's message (its error name kept as a code), a failed presentation check's error by its
// name and values. `fallback` is told when labels.js lacks a key: the core's English is shown.
function checkDetail(c, fallback) {
  let text = null;
  if (c.message) {
    text = detailText(c.message);
    if (text != null && c.error) text = c.error + ": " + text;
  } else if (c.error) {
    text = catalogueText("NANSEN_ERRORS", c.error, c.error_args || []);
    if (text != null) text = c.error + ": " + text;
  } else {
    return c.detail || "";
  }
  if (text == null) { fallback(c.name); return c.detail || ""; }
  return text;
}

function setLang(choice) {
  lang = TEXT[choice] ? choice : "en";
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  $("lang").value = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-tp]")) el.placeholder = t(el.dataset.tp);
  showTrust();
  showScan();
  if (lastAnswer) show(lastAnswer);
}

// One call into the module: the text in, the JSON answer out.
function call(fn, text) {
  const input = new TextEncoder().encode(text);
  const ptr = wasm.nansen_alloc(input.length);
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  try {
    wasm[fn](ptr, input.length);
  } finally {
    wasm.nansen_free(ptr, input.length);
  }
  const out = new Uint8Array(wasm.memory.buffer, wasm.nansen_output_ptr(), wasm.nansen_output_len());
  return JSON.parse(new TextDecoder().decode(out));
}

function newChallenge() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  localStorage.setItem("nansen-challenge", hex);
  $("challenge").textContent = hex;
  resetScan();
  drawChallengeCode();
}

function loadTrust(text) {
  const answer = call("nansen_load_trust", text);
  if (answer.error) {
    trustSummary = null;
    $("trust-status").textContent = answer.error.name + ": " + answer.error.message;
    $("trust-status").dataset.state = "error";
    return;
  }
  trustSummary = answer.trust;
  showTrust();
}

function showTrust() {
  const el = $("trust-status");
  if (!wasm) { el.textContent = t("loading"); return; }
  if (el.dataset.state === "error") return;
  if (!trustSummary) { el.textContent = t("no-trust"); el.dataset.state = "none"; return; }
  const s = trustSummary;
  el.dataset.state = "loaded";
  el.textContent = t("trust-loaded", s.network_id.slice(0, 16) + "…", s.witnesses.join(", "),
    s.max_evidence_age_text,
    s.ledger_entries == null ? t("trust-no-ledger") : s.ledger_entries);
}

// Verify pressed: NS1 / NS2 lines in the text box are gathered as codes (with the parts read
// before), anything else is verified as it is.
function verifyPressed() {
  const lines = partLines($("presentation").value);
  if (lines) {
    $("presentation").value = "";
    takeCodes(lines);
    return;
  }
  verify();
}

function verify() {
  const audience = $("audience").value.trim();
  localStorage.setItem("nansen-audience", audience);
  const recordKey = "nansen-used-nonces:" + audience;
  const request = {
    presentation: $("presentation").value,
    challenge: $("challenge").textContent,
    audience,
    now: Math.floor(Date.now() / 1000),
    replay_record: localStorage.getItem(recordKey) || "",
  };
  const started = performance.now();
  let answer;
  try {
    answer = call("nansen_verify", JSON.stringify(request));
  } catch (e) {
    answer = { error: { name: "VerifierFailed", message: String(e) } };
  }
  const elapsed = performance.now() - started;
  // The challenge is spent before the verdict is shown.
  if (answer.replay_record != null) localStorage.setItem(recordKey, answer.replay_record);
  lastAnswer = answer;
  show(answer);
  $("verdict").dataset.verifyMs = elapsed.toFixed(2);
}

function row(table, cells, classes) {
  const tr = table.insertRow();
  cells.forEach((c, i) => {
    const td = tr.insertCell();
    td.textContent = c;
    if (classes && classes[i]) td.className = classes[i];
  });
}

// A disclosed portrait (specs/credentials.md 2) as an image beside the claims, from its data
// URI (no network); false when the value is not a JPEG or WebP data URI.
function portraitRow(table, value) {
  if (typeof value !== "string" || !/^data:image\/(jpeg|webp);base64,[A-Za-z0-9+\/=]+$/.test(value)) {
    return false;
  }
  const tr = table.insertRow();
  tr.insertCell().textContent = label("portrait");
  const img = document.createElement("img");
  img.id = "portrait";
  img.className = "portrait";
  img.alt = label("portrait");
  img.src = value;
  tr.insertCell().appendChild(img);
  return true;
}

function show(answer) {
  $("result").hidden = false;
  const v = $("verdict");
  const reason = $("reason");
  const claims = $("claims");
  const checks = $("checks");
  claims.replaceChildren();
  checks.replaceChildren();
  $("issuer").textContent = "";
  $("evidence").textContent = "";
  reason.textContent = "";
  if (answer.error) {
    v.className = "verdict error";
    v.dataset.verdict = "error";
    v.dataset.failed = answer.error.name;
    v.textContent = t("error");
    reason.textContent = answer.error.name + ": " + answer.error.message;
    return;
  }
  const r = answer.report;
  v.className = "verdict " + r.verdict;
  v.dataset.verdict = r.verdict;
  const failed = r.checks.find((c) => c.result === "fail");
  v.dataset.failed = failed ? failed.name : "";
  v.textContent = t(r.verdict);
  if (failed) reason.textContent = t("failed-check", checkLabel(failed.name));
  else if (r.verdict === "signature-only") reason.textContent = t("signature-only-why", r.unchecked.map(checkLabel).join(", "));
  // Claims only under a verdict that vouches for them (the core reports none under invalid:
  // specs/credentials.md 15); under signature only the reason above says issuer and status
  // were not checked.
  const vouched = r.verdict !== "invalid";
  if (answer.issuer) {
    $("issuer").textContent = t("issued-by", answer.issuer.display_name, answer.issuer.jurisdiction);
  } else if (vouched && r.credential) {
    $("issuer").textContent = t("issuer-key", r.credential.issuer);
  }
  $("evidence").textContent = answer.evidence_age_text == null
    ? t("evidence-none") : t("evidence-age", answer.evidence_age_text);
  if (vouched && r.credential) row(claims, [t("kind"), r.credential.kind]);
  for (const [name, value] of Object.entries(vouched ? r.disclosed || {} : {})) {
    if (name === "portrait" && portraitRow(claims, value)) continue;
    row(claims, [label(name), typeof value === "string" ? value : JSON.stringify(value)]);
  }
  const untranslated = [];
  for (const c of r.checks) {
    const detail = checkDetail(c, (name) => untranslated.push(name));
    row(checks, [checkLabel(c.name), t(c.result), detail], [null, c.result, null]);
  }
  // Checks whose detail labels.js could not tell (shown in the core's English): none, as a
  // test makes sure.
  checks.dataset.untranslated = untranslated.join(" ");
}

function readFile(input, then) {
  const file = input.files && input.files[0];
  if (!file) return;
  file.text().then(then);
}

// ---- Scanning: the camera, image files and the challenge code (specs/credentials.md 15.4).
// The codes are found by the module (nansen_scan: the finder `nansen --qr-image` runs), the
// NS1 and NS2 parts gathered by it (nansen_parts) and the challenge code drawn from it
// (nansen_challenge_code: the text and encoder of `nansen challenge --qr-png`).

const SCAN_TEXT = {
  en: {
    scan: "Scan with camera", "scan-stop": "Stop the camera", "scan-looking": "Looking for a QR code…",
    "scan-progress": "{0} of {1} read", "scan-bad": "This code is not part of a presentation ({0})",
    "camera-refused": "The camera was refused ({0}): open a file or paste the text instead.",
    "camera-absent": "No camera could be opened ({0}): open a file or paste the text instead.",
    "image-unread": "No QR code could be read in {0} ({1})",
    "challenge-code": "The holder scans this code: nansen present --challenge-qr PHOTO",
    "challenge-code-bad": "No challenge code: {0}",
  },
  fr: {
    scan: "Scanner avec la caméra", "scan-stop": "Arrêter la caméra", "scan-looking": "Recherche d'un code QR…",
    "scan-progress": "{0} sur {1} lus", "scan-bad": "Ce code ne fait pas partie d'une présentation ({0})",
    "camera-refused": "La caméra a été refusée ({0}) : ouvrez un fichier ou collez le texte.",
    "camera-absent": "Aucune caméra n'a pu être ouverte ({0}) : ouvrez un fichier ou collez le texte.",
    "image-unread": "Aucun code QR n'a pu être lu dans {0} ({1})",
    "challenge-code": "Le titulaire scanne ce code : nansen present --challenge-qr PHOTO",
    "challenge-code-bad": "Pas de code de défi : {0}",
  },
  ar: {
    scan: "المسح بالكاميرا", "scan-stop": "إيقاف الكاميرا", "scan-looking": "جارٍ البحث عن رمز QR…",
    "scan-progress": "تمت قراءة {0} من {1}", "scan-bad": "هذا الرمز ليس جزءًا من عرض ({0})",
    "camera-refused": "رُفض استخدام الكاميرا ({0}): افتح ملفًا أو الصق النص بدلًا من ذلك.",
    "camera-absent": "تعذّر فتح أي كاميرا ({0}): افتح ملفًا أو الصق النص بدلًا من ذلك.",
    "image-unread": "تعذّرت قراءة أي رمز QR في {0} ‏({1})",
    "challenge-code": "يمسح الحامل هذا الرمز: nansen present --challenge-qr PHOTO",
    "challenge-code-bad": "لا يوجد رمز تحدٍّ: {0}",
  },
};
for (const l of Object.keys(SCAN_TEXT)) Object.assign(TEXT[l], SCAN_TEXT[l]);

// Largest side of a picture handed to the finder: camera frames and image files are drawn
// scaled down to it (the finder's own bound, 40 megapixels, is far above).
const FRAME_SIDE = 1280;
const FILE_SIDE = 2048;
const SCAN_EVERY_MS = 150;
let camera = null;        // { stream, timer } while the camera runs
let gathered = [];        // distinct NS1 / NS2 texts of the presentation being read
let scanStatus = null;    // [key, ...args] of the status shown, re-said on a language change
let scanBusy = false;

function sayScan(key, ...args) {
  scanStatus = key ? [key, ...args] : null;
  showScan();
}

function showScan() {
  const el = $("scan-status");
  if (!el) return;
  el.textContent = scanStatus ? t(...scanStatus) : "";
  el.dataset.state = scanStatus && /refused|absent|unread|bad/.test(scanStatus[0]) ? "error" : "";
  $("scan").textContent = t(camera ? "scan-stop" : "scan");
}

// The RGBA pixels of a canvas to the module's finder: {codes: [...]} or {error: {...}}.
function scanPixels(image) {
  const bytes = image.data;
  const ptr = wasm.nansen_alloc(bytes.length);
  try {
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    wasm.nansen_scan(ptr, bytes.length, image.width, image.height);
  } catch (e) {
    // A trap in the module (it aborts on a panic): the picture is not read.
    return { error: { name: "UnreadableQrCode", message: "the decoder failed on this image: " + e } };
  } finally {
    wasm.nansen_free(ptr, bytes.length);
  }
  const out = new Uint8Array(wasm.memory.buffer, wasm.nansen_output_ptr(), wasm.nansen_output_len());
  return JSON.parse(new TextDecoder().decode(out));
}

// Draws `source` (a video or an image bitmap) at most `side` pixels a side and reads it.
function scanSource(source, width, height, side) {
  const k = Math.min(1, side / Math.max(width, height));
  const w = Math.max(1, Math.round(width * k));
  const h = Math.max(1, Math.round(height * k));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  const started = performance.now();
  const answer = scanPixels(ctx.getImageData(0, 0, w, h));
  $("scan-status").dataset.scanMs = (performance.now() - started).toFixed(2);
  return answer;
}

// A QR part of a presentation: NS1 (DEFLATE text) or NS2 (the compact envelope).
const PART_PREFIX = /^NS[12]:/;

// Codes read (from the camera or files): NS1 or NS2 parts are gathered in any order until all
// are read; any other text is taken as a whole presentation. Returns true when one is complete.
function takeCodes(codes) {
  for (const text of codes) {
    if (!PART_PREFIX.test(text)) {
      if (text.startsWith("NSC1:")) { sayScan("scan-bad", "NSC1"); continue; }
      finishScan(text);
      return true;
    }
    if (gathered.includes(text)) continue;
    let answer = call("nansen_parts", JSON.stringify(gathered.concat([text])));
    if (answer.error) {
      // Another presentation's part (or a broken set): start again from this code.
      answer = call("nansen_parts", JSON.stringify([text]));
      if (answer.error) { sayScan("scan-bad", answer.error.message); continue; }
      gathered = [text];
    } else {
      gathered.push(text);
    }
    const el = $("scan-status");
    el.dataset.read = answer.read;
    el.dataset.total = answer.total;
    el.dataset.seen = ((el.dataset.seen || "") + " " + answer.read + "/" + answer.total).trim();
    sayScan("scan-progress", answer.read, answer.total);
    if (answer.presentation != null) { finishScan(answer.presentation); return true; }
  }
  return false;
}

// The lines of a text when every one is an NS1 or NS2 part (nansen present --qr-text), else null.
function partLines(text) {
  const lines = String(text || "").split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
  return lines.length && lines.every((l) => PART_PREFIX.test(l)) ? lines : null;
}

// A paste into the text box: parts are gathered across pastes, in any order, with "k of n
// read" (as from the camera), and verified when all are read; other text is pasted as usual.
function pasted(event) {
  const text = event.clipboardData && event.clipboardData.getData("text/plain");
  const lines = partLines(text);
  if (!lines || !wasm) return;
  event.preventDefault();
  $("presentation").value = "";
  takeCodes(lines);
}

// A new holder: the parts read so far are forgotten.
function resetScan() {
  gathered = [];
  if (!camera) sayScan(null);
}

function finishScan(presentation) {
  stopCamera();
  gathered = [];
  $("presentation").value = presentation;
  verify();
}

function scanFrame() {
  const video = $("camera");
  if (!camera || scanBusy || video.readyState < 2 || !video.videoWidth) return;
  scanBusy = true;
  try {
    const answer = scanSource(video, video.videoWidth, video.videoHeight, FRAME_SIDE);
    $("camera").dataset.frames = String(Number($("camera").dataset.frames || 0) + 1);
    if (answer.codes) takeCodes(answer.codes);
  } finally {
    scanBusy = false;
  }
}

async function startCamera() {
  const devices = navigator.mediaDevices;
  if (!devices || !devices.getUserMedia) {
    // No camera API: a page from a non-secure origin, or an old browser.
    sayScan("camera-absent", "getUserMedia");
    return;
  }
  let stream;
  try {
    stream = await devices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (e) {
    const refused = e && (e.name === "NotAllowedError" || e.name === "SecurityError");
    sayScan(refused ? "camera-refused" : "camera-absent", (e && e.name) || String(e));
    return;
  }
  const video = $("camera");
  video.srcObject = stream;
  video.hidden = false;
  camera = { stream, timer: setInterval(scanFrame, SCAN_EVERY_MS) };
  video.dataset.state = "on";
  sayScan(gathered.length ? scanStatus[0] : "scan-looking",
    ...(gathered.length ? scanStatus.slice(1) : []));
  try { await video.play(); } catch (_) { /* muted inline video plays; frames are polled anyway */ }
}

function stopCamera() {
  if (!camera) return;
  clearInterval(camera.timer);
  for (const track of camera.stream.getTracks()) track.stop();
  camera = null;
  const video = $("camera");
  video.srcObject = null;
  video.hidden = true;
  video.dataset.state = "off";
  showScan();
}

// Image files chosen or dropped are read by the same finder; any other file is text.
async function openFiles(files) {
  for (const file of Array.from(files || [])) {
    const image = /^image\//.test(file.type) || /\.(png|jpe?g|gif|webp|bmp)$/i.test(file.name);
    if (!image) {
      const text = await file.text();
      // The parts' text, one NS1 or NS2 line each (nansen present --qr-text): gathered as codes.
      const lines = partLines(text);
      if (lines) {
        if (takeCodes(lines)) return;
        continue;
      }
      $("presentation").value = text;
      continue;
    }
    let answer;
    try {
      const bitmap = await createImageBitmap(file);
      answer = scanSource(bitmap, bitmap.width, bitmap.height, FILE_SIDE);
      bitmap.close();
    } catch (e) {
      answer = { error: { name: "NotAnImage", message: String(e) } };
    }
    if (answer.error) { sayScan("image-unread", file.name, answer.error.name); continue; }
    if (takeCodes(answer.codes)) return;
  }
}

// The challenge and audience as a code (NSC1:<challenge>:<audience>) beside the hex.
function drawChallengeCode() {
  const canvas = $("challenge-code");
  if (!wasm || !canvas) return;
  const answer = call("nansen_challenge_code", JSON.stringify({
    challenge: $("challenge").textContent, audience: $("audience").value.trim() }));
  const note = $("challenge-code-note");
  if (answer.error) {
    canvas.hidden = true;
    canvas.dataset.text = "";
    delete note.dataset.t;
    note.textContent = t("challenge-code-bad", answer.error.message);
    return;
  }
  const quiet = 4;
  const side = answer.size + 2 * quiet;
  const module = Math.max(3, Math.floor(240 / side));
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
  canvas.width = side * module * ratio;
  canvas.height = side * module * ratio;
  canvas.style.width = side * module + "px";
  canvas.style.height = side * module + "px";
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000";
  const m = module * ratio;
  for (let y = 0; y < answer.size; y++) {
    for (let x = 0; x < answer.size; x++) {
      if (answer.modules[y * answer.size + x] === "1") ctx.fillRect((x + quiet) * m, (y + quiet) * m, m, m);
    }
  }
  canvas.hidden = false;
  canvas.dataset.text = answer.text;
  canvas.setAttribute("aria-label", answer.text);
  note.dataset.t = "challenge-code";
  note.textContent = t("challenge-code");
}

function startScanning() {
  $("scan").addEventListener("click", () => (camera ? stopCamera() : startCamera()));
  $("audience").addEventListener("input", drawChallengeCode);
  const drop = $("presentation");
  drop.addEventListener("paste", pasted);
  drop.addEventListener("dragover", (e) => e.preventDefault());
  drop.addEventListener("drop", (e) => {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    openFiles(e.dataTransfer.files);
  });
  drawChallengeCode();
  showScan();
}

async function start() {
  $("audience").value = localStorage.getItem("nansen-audience") || "verifier";
  const saved = localStorage.getItem("nansen-challenge");
  if (saved) $("challenge").textContent = saved; else newChallenge();
  const choice = new URLSearchParams(location.search).get("lang")
    || localStorage.getItem("nansen-lang") || (navigator.language || "en").slice(0, 2);
  setLang(choice);
  const b64 = window.NANSEN_WASM;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  wasm = instance.exports;
  if (window.NANSEN_TRUST) loadTrust(JSON.stringify(window.NANSEN_TRUST));
  showTrust();
  $("lang").addEventListener("change", () => {
    localStorage.setItem("nansen-lang", $("lang").value);
    setLang($("lang").value);
  });
  $("new-challenge").addEventListener("click", newChallenge);
  startScanning();
  $("verify").addEventListener("click", verifyPressed);
  $("presentation-file").addEventListener("change", (e) => {
    // Emptied once read: choosing the next files (or the same again) starts afresh.
    openFiles(Array.from(e.target.files)).finally(() => { e.target.value = ""; });
  });
  $("trust-file").addEventListener("change", (e) =>
    readFile(e.target, (text) => { $("trust-status").dataset.state = ""; loadTrust(text); }));
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  $("trust-status").textContent = "The verifier could not start: " + e;
  document.body.dataset.ready = "failed";
});
