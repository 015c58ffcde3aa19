// Figures for the browser verifier's QR finder (specs/credentials.md 15.4), in WebAssembly
// under Node.js: the committed module's size (raw and gzip -9), then the time nansen_scan
// takes on the pictures of wallet-cli/tests/vectors/qr (a 720-pixel camera frame holding a
// code, the phone-degraded photos, and the hostile picture tiled with finder patterns, whole
// and as the page draws a file: at most 2,048 pixels a side). Prints figures; asserts only
// that the codes the command line reads are read here too.
// Usage: node scripts/scan-bench.mjs [verifier-page/assets/verifier.wasm]
import { readFileSync } from "node:fs";
import { gzipSync, inflateSync } from "node:zlib";

const wasmPath = process.argv[2] || "verifier-page/assets/verifier.wasm";
const vectors = "wallet-cli/tests/vectors/qr/";
const bytes = readFileSync(wasmPath);
console.log(`module: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzip -9`);
const { instance } = await WebAssembly.instantiate(bytes, {});
const wasm = instance.exports;

// An 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA) as RGBA pixels.
function readPng(path) {
  const file = readFileSync(path);
  let at = 8, width = 0, height = 0, type = 0;
  const idat = [];
  while (at < file.length) {
    const len = file.readUInt32BE(at);
    const kind = file.toString("latin1", at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + len);
    if (kind === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error(`${path}: not 8-bit non-interlaced`);
      type = data[9];
    } else if (kind === "IDAT") idat.push(data);
    at += 12 + len;
  }
  const channels = { 0: 1, 4: 2, 2: 3, 6: 4 }[type];
  if (!channels) throw new Error(`${path}: colour type ${type}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rows[y * stride + x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = rows.subarray(i * channels, (i + 1) * channels);
    const [r, g, b] = channels >= 3 ? p : [p[0], p[0], p[0]];
    rgba.set([r, g, b, channels === 2 ? p[1] : channels === 4 ? p[3] : 255], i * 4);
  }
  return { width, height, data: rgba };
}

// The picture on a white square of `side` pixels (a camera frame), or scaled down to fit
// `side` by nearest neighbour (the page's bound on a file).
function frame(img, side) {
  const out = new Uint8Array(side * side * 4).fill(255);
  const x0 = (side - img.width) >> 1, y0 = (side - img.height) >> 1;
  for (let y = 0; y < img.height; y++) {
    out.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), ((y0 + y) * side + x0) * 4);
  }
  return { width: side, height: side, data: out };
}
function fit(img, side) {
  const k = Math.min(1, side / Math.max(img.width, img.height));
  const w = Math.round(img.width * k), h = Math.round(img.height * k);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (Math.floor(y / k) * img.width + Math.floor(x / k)) * 4;
      out.set(img.data.subarray(s, s + 4), (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data: out };
}

function scan(img) {
  const ptr = wasm.nansen_alloc(img.data.length);
  new Uint8Array(wasm.memory.buffer, ptr, img.data.length).set(img.data);
  const started = performance.now();
  wasm.nansen_scan(ptr, img.data.length, img.width, img.height);
  const ms = performance.now() - started;
  wasm.nansen_free(ptr, img.data.length);
  const out = new Uint8Array(wasm.memory.buffer, wasm.nansen_output_ptr(), wasm.nansen_output_len());
  return { ms, answer: JSON.parse(new TextDecoder().decode(out)) };
}

function bench(name, img, runs, expect) {
  let best = Infinity, total = 0, answer = null;
  for (let i = 0; i < runs; i++) {
    const r = scan(img);
    best = Math.min(best, r.ms); total += r.ms; answer = r.answer;
  }
  const said = answer.codes ? `${answer.codes.length} code(s) ${answer.codes.map((c) => c.slice(0, 8)).join(" ")}`
    : answer.error.name;
  console.log(`${name} (${img.width}x${img.height}): ${best.toFixed(1)} ms best, ` +
    `${(total / runs).toFixed(1)} ms mean of ${runs}: ${said}`);
  if (expect && !(answer.codes && answer.codes[0].startsWith(expect))) {
    console.error(`scan-bench: ${name} was not read`);
    process.exitCode = 1;
  }
}

const part = readPng(vectors + "bundle-part.png");
bench("camera frame with one code", frame(part, 720), 20, "NS1:1/3:");
bench("camera frame with one code", frame(part, 1280), 10, "NS1:1/3:");
bench("blank camera frame", frame({ width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]) }, 1280), 10);
for (const v of ["grey-rotated-5deg", "upscaled-2.5x", "upscaled-3x", "low-contrast-blur"]) {
  bench(`photo ${v}`, readPng(vectors + `bundle-part-${v}.png`), 5, "NS1:1/3:");
}
const hostile = readPng(vectors + "finder-tiles.png");
bench("finder-tiles, as the page draws a file", fit(hostile, 2048), 3);
bench("finder-tiles, whole", hostile, 1);
