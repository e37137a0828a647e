// The till's decoder against three published ones, on the same frames, none of which the decoder
// was tuned on. Three seeded sets of camera frames:
// - wallet codes at arm's length: the twenty digits a wallet shows (the product's own version-1
//   symbol, given by the runner) at 1.5–4 px a module in a 1280×720 frame;
// - mixed codes, 1280×720: versions 1–10 at every error-correction level, from an independent
//   encoder (npm `qrcode`, given by the runner), at 2–8 px a module;
// - mixed codes, 640×480: the same kind of codes from a cheaper camera, at 1.5–5 px a module.
// Every frame is drawn through a random perspective (rotation up to 45°, keystone), over a
// cluttered background, antialiased, then given up to three of: blur, noise, glare, moiré from
// screen pixels, a dark room, an inverted (dark-mode) code, low contrast, JPEG compression.
// Each frame is made, given to every decoder as the same ImageData, and dropped: ours runs as the
// till runs it, in its Web Worker (the copy to the worker counted). A worker that dies is counted
// as a crash and started again. Runs in the browser; `runBench` returns the report.

// A small seeded generator, so every run draws the same frames.
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHOTOMETRIC = ['blur', 'noise', 'glare', 'moire', 'dark-room', 'inverted', 'low-contrast', 'jpeg'];

/** The projective map taking the unit square's corners (0,0) (1,0) (1,1) (0,1) to `q` (Heckbert). */
function squareToQuad(q) {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2; const dx2 = x3 - x2; const dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2; const dy2 = y3 - y2; const dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const h = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

/** The inverse of a 3×3 matrix (row-major), by its adjugate. */
function invert(m) {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h; const B = -(d * i - f * g); const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
}

/** One frame: `code` ({text, size, bits}) seen by a camera, as the scene `rng` draws. */
async function frame(ctx, W, H, code, modulePx, rng) {
  const effects = [];
  const count = Math.floor(rng() * 4);
  while (effects.length < count) {
    const e = PHOTOMETRIC[Math.floor(rng() * PHOTOMETRIC.length)];
    if (!effects.includes(e)) effects.push(e);
  }
  const has = (e) => effects.includes(e);
  const rotation = rng() * 45;
  const keystone = rng() < 0.5 ? 0 : 0.05 + rng() * 0.2;
  // Screen and room: a phone's screen is bright and its dark modules nearly black; a dark room
  // leaves the background near black; low contrast brings the two close.
  let light = 215 + rng() * 40;
  let dark = 10 + rng() * 40;
  if (has('low-contrast')) { dark = 90 + rng() * 40; light = dark + 35 + rng() * 25; }
  if (has('inverted')) [light, dark] = [dark, light];
  const bg = has('dark-room') ? 5 + rng() * 40 : 90 + rng() * 110;
  // The symbol with its 4-module quiet zone, rotated about the frame's middle (moved a little),
  // its far edge pulled in for keystone.
  const n = code.size + 8;
  const side = n * modulePx;
  const cx = W / 2 + (rng() - 0.5) * Math.max(0, W - side * 1.5) * 0.6;
  const cy = H / 2 + (rng() - 0.5) * Math.max(0, H - side * 1.5) * 0.6;
  const t = (rotation * Math.PI) / 180;
  const corner = (u, v) => [cx + Math.cos(t) * u - Math.sin(t) * v, cy + Math.sin(t) * u + Math.cos(t) * v];
  const s = side / 2;
  const k = keystone * s;
  const quad = [corner(-s + k, -s), corner(s - k, -s), corner(s, s), corner(-s, s)];
  const inv = invert(squareToQuad(quad));
  const image = ctx.createImageData(W, H);
  const d = image.data;
  // Clutter: a gradient and a few soft blocks, for the finder to be tempted by.
  const blocks = Array.from({ length: 6 }, () => [rng() * W, rng() * H, 20 + rng() * 200, 20 + rng() * 120, (rng() - 0.5) * 80]);
  const gx = ((rng() - 0.5) * 60) / W;
  const bits = code.bits;
  const size = code.size;
  const sub = [0.25, 0.75];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let back = bg + gx * x;
      for (const [bx, by, bw, bh, dv] of blocks) if (x >= bx && x < bx + bw && y >= by && y < by + bh) back += dv;
      let sum = 0;
      for (const oy of sub) {
        for (const ox of sub) {
          const px = x + ox; const py = y + oy;
          const w = inv[6] * px + inv[7] * py + inv[8];
          const u = (inv[0] * px + inv[1] * py + inv[2]) / w;
          const v = (inv[3] * px + inv[4] * py + inv[5]) / w;
          if (u < 0 || v < 0 || u >= 1 || v >= 1) {
            sum += back;
          } else {
            const c = Math.floor(u * n) - 4;
            const r = Math.floor(v * n) - 4;
            const on = c >= 0 && r >= 0 && c < size && r < size && bits.charCodeAt(r * size + c) === 49;
            sum += on ? dark : light;
          }
        }
      }
      let value = sum / 4;
      if (has('moire')) {
        // The screen's pixel grid beating against the camera's: a fine grating, slightly skewed.
        value *= 0.8 + 0.2 * Math.sin(x * 2.4 + y * 0.31) * Math.sin(y * 2.2 - x * 0.17);
      }
      const i = (y * W + x) * 4;
      d[i] = d[i + 1] = d[i + 2] = value;
      d[i + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  if (has('blur')) {
    ctx.filter = `blur(${(0.3 + rng() * 0.5) * modulePx}px)`;
    ctx.drawImage(ctx.canvas, 0, 0);
    ctx.filter = 'none';
  }
  if (has('glare')) {
    const [gx0, gy0] = corner((rng() - 0.5) * side, (rng() - 0.5) * side);
    const g = ctx.createRadialGradient(gx0, gy0, 4, gx0, gy0, side * (0.3 + rng() * 0.5));
    g.addColorStop(0, `rgba(255,255,255,${0.6 + rng() * 0.3})`);
    g.addColorStop(1, 'rgba(255,255,255,0)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, W, H);
  }
  let out = ctx.getImageData(0, 0, W, H);
  if (has('noise')) {
    const sigma = 8 + rng() * 22;
    const o = out.data;
    for (let i = 0; i < o.length; i += 4) {
      const e = (rng() + rng() + rng() - 1.5) * sigma * 2;
      o[i] += e; o[i + 1] += e; o[i + 2] += e;
    }
  }
  if (has('jpeg')) {
    ctx.putImageData(out, 0, 0);
    const blob = await new Promise((res) => ctx.canvas.toBlob(res, 'image/jpeg', 0.3 + rng() * 0.4));
    ctx.drawImage(await createImageBitmap(blob), 0, 0);
    out = ctx.getImageData(0, 0, W, H);
  }
  const label = `${modulePx.toFixed(1)}px ${rotation.toFixed(0)}°${keystone ? ' keystone' : ''}${effects.length ? ` ${effects.join('+')}` : ''}`;
  return { text: code.text, image: out, label };
}

/** Our decoder as the till runs it: in its worker, which says when it is ready; started again if it dies. */
async function oursWorker(report) {
  let worker;
  let pending = null;
  const start = async () => {
    worker = new Worker('/dist/merchant/quan-scanner_loader.js');
    await new Promise((resolve, reject) => {
      worker.onmessage = (e) => { if (e.data.ready) resolve(); };
      worker.onerror = (e) => reject(new Error(e.message));
    });
    worker.onmessage = (e) => { pending?.resolve(e.data.text); pending = null; };
    worker.onerror = (e) => { e.preventDefault(); pending?.reject(new Error(`crashed: ${e.message}`)); pending = null; };
  };
  await start();
  return async (image) => {
    try {
      return await new Promise((resolve, reject) => {
        pending = { resolve, reject };
        const data = new Uint8ClampedArray(image.data);
        worker.postMessage({ width: image.width, height: image.height, data }, [data.buffer]);
      });
    } catch (e) {
      report.crashes++;
      report.crash = report.crash ?? String(e.message);
      worker.terminate();
      await start();
      return null;
    }
  };
}

/** The frames of one set, each made once and given to every decoder. */
async function runSet(set, decoders) {
  const canvas = document.createElement('canvas');
  canvas.width = set.width;
  canvas.height = set.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rng = mulberry32(set.seed);
  const results = decoders.map(({ name, report }) => ({ name, decoded: 0, wrong: 0, ms: 0, crashes: 0, misses: [], report }));
  for (let i = 0; i < set.frames; i++) {
    const code = set.codes[Math.floor(rng() * set.codes.length)];
    const modulePx = set.modulePx[0] + rng() * (set.modulePx[1] - set.modulePx[0]);
    const f = await frame(ctx, set.width, set.height, code, modulePx, rng);
    for (let j = 0; j < decoders.length; j++) {
      const r = results[j];
      const crashesBefore = r.report.crashes;
      const t0 = performance.now();
      let text = null;
      try { text = await decoders[j].decode(f.image); } catch { text = null; r.report.crashes++; }
      r.ms += performance.now() - t0;
      r.crashes += r.report.crashes - crashesBefore;
      if (text === f.text) r.decoded++;
      else if (text) { r.wrong++; r.misses.push(`${f.label}: read ${text}`); }
      else r.misses.push(f.label);
    }
  }
  return {
    name: set.name,
    width: set.width,
    height: set.height,
    frames: set.frames,
    decoders: results.map(({ report, ms, ...r }) => ({ ...r, share: r.decoded / set.frames, ms_per_frame: ms / set.frames })),
  };
}

/** `codes`: {wallet, mixed}, each a list of {text, size, bits} (made by the runner). */
window.runBench = async (codes, framesPerSet) => {
  await window.ZXingWASM.prepareZXingModule({
    overrides: { locateFile: (path) => `/node_modules/zxing-wasm/dist/reader/${path}` },
    fireImmediately: true,
  });
  const oursReport = { crashes: 0 };
  const none = { crashes: 0 };
  const decoders = [
    { name: 'ours (rxing, worker)', report: oursReport, decode: await oursWorker(oursReport) },
    { name: 'jsQR', report: { ...none }, decode: async (img) => window.jsQR(img.data, img.width, img.height)?.data ?? null },
    {
      name: 'zbar-wasm',
      report: { ...none },
      decode: async (img) => {
        const symbols = await window.zbarWasm.scanImageData(img);
        return symbols.length ? symbols[0].decode() : null;
      },
    },
    {
      name: 'zxing-wasm',
      report: { ...none },
      decode: async (img) => {
        const r = await window.ZXingWASM.readBarcodes(img, { formats: ['QRCode'], tryHarder: true, tryInvert: true });
        return r.length && r[0].isValid ? r[0].text : null;
      },
    },
  ];
  // Warm each decoder once (module instantiation is not decoding).
  const warm = new ImageData(64, 64);
  for (const { decode } of decoders) { try { await decode(warm); } catch { /* counted when it matters */ } }
  const sets = [
    { name: "wallet codes at arm's length, 1280×720", width: 1280, height: 720, modulePx: [1.5, 4], codes: codes.wallet, seed: 20230601 },
    { name: 'mixed codes, 1280×720', width: 1280, height: 720, modulePx: [2, 8], codes: codes.mixed, seed: 20220927 },
    { name: 'mixed codes, 640×480', width: 640, height: 480, modulePx: [1.5, 5], codes: codes.mixed, seed: 20221225 },
  ];
  const out = [];
  for (const set of sets) out.push(await runSet({ ...set, frames: framesPerSet }, decoders));
  return { sets: out, crash: oursReport.crash ?? null };
};
