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

function setLang(choice) {
  lang = TEXT[choice] ? choice : "en";
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  $("lang").value = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-tp]")) el.placeholder = t(el.dataset.tp);
  showTrust();
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
  if (failed) reason.textContent = t("failed-check", failed.name);
  else if (r.verdict === "signature-only") reason.textContent = t("signature-only-why", r.unchecked.join(", "));
  if (answer.issuer) {
    $("issuer").textContent = t("issued-by", answer.issuer.display_name, answer.issuer.jurisdiction);
  } else if (r.credential) {
    $("issuer").textContent = t("issuer-key", r.credential.issuer);
  }
  $("evidence").textContent = answer.evidence_age_text == null
    ? t("evidence-none") : t("evidence-age", answer.evidence_age_text);
  if (r.credential) row(claims, [t("kind"), r.credential.kind]);
  for (const [name, value] of Object.entries(r.disclosed || {})) {
    if (name === "portrait" && portraitRow(claims, value)) continue;
    row(claims, [label(name), typeof value === "string" ? value : JSON.stringify(value)]);
  }
  for (const c of r.checks) {
    row(checks, [c.name, t(c.result), c.detail || ""], [null, c.result, null]);
  }
}

function readFile(input, then) {
  const file = input.files && input.files[0];
  if (!file) return;
  file.text().then(then);
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
  $("verify").addEventListener("click", verify);
  $("presentation-file").addEventListener("change", (e) =>
    readFile(e.target, (text) => { $("presentation").value = text; }));
  $("trust-file").addEventListener("change", (e) =>
    readFile(e.target, (text) => { $("trust-status").dataset.state = ""; loadTrust(text); }));
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  $("trust-status").textContent = "The verifier could not start: " + e;
  document.body.dataset.ready = "failed";
});
