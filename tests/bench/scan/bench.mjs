// The till's decoder against three published ones, on the same frames: the codes a wallet
// shows (twenty digits in the product's own version-1 QR symbol, given by the runner), drawn into
// camera-sized frames at several sizes and rotations, then blurred, noised, washed out, glared,
// JPEG-compressed, or seen in perspective. Every decoder gets the same ImageData; ours runs as the
// till runs it, in its Web Worker. Runs in the browser; `runBench` returns the report.
const W = 1280;
const H = 720;

// A small seeded generator, so every run draws the same frames.
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTORTIONS = ['clean', 'blur', 'noise', 'low-contrast', 'glare', 'jpeg', 'perspective'];
const MODULES = [5, 8, 12, 16];
const ROTATIONS = [0, 17, 45];

async function frame(ctx, modules, text, modulePx, rotation, distortion, rng) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  const light = distortion === 'low-contrast' ? 'rgb(150,150,150)' : 'rgb(236,236,236)';
  const dark = distortion === 'low-contrast' ? 'rgb(105,105,105)' : 'rgb(24,24,24)';
  ctx.fillStyle = distortion === 'low-contrast' ? light : 'rgb(200,190,180)';
  ctx.fillRect(0, 0, W, H);
  const size = modules.size;
  const side = (size + 8) * modulePx;
  ctx.translate(W / 2 + (rng() - 0.5) * 400, H / 2 + (rng() - 0.5) * 50);
  if (distortion === 'perspective') ctx.transform(1, 0.18, -0.22, 0.85, 0, 0);
  ctx.rotate((rotation * Math.PI) / 180);
  if (distortion === 'blur') ctx.filter = `blur(${Math.max(1, modulePx / 4)}px)`;
  ctx.fillStyle = light;
  ctx.fillRect(-side / 2, -side / 2, side, side);
  // One path for all dark modules: filled at once, neighbours meet without hairline seams.
  ctx.fillStyle = dark;
  ctx.beginPath();
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (modules.get(r, c)) ctx.rect(-side / 2 + (c + 4) * modulePx, -side / 2 + (r + 4) * modulePx, modulePx, modulePx);
    }
  }
  ctx.fill();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  if (distortion === 'glare') {
    const g = ctx.createRadialGradient(W / 2 + 60, H / 2 - 40, 10, W / 2 + 60, H / 2 - 40, 260);
    g.addColorStop(0, 'rgba(255,255,255,0.85)');
    g.addColorStop(1, 'rgba(255,255,255,0)');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, W, H);
  }
  let image = ctx.getImageData(0, 0, W, H);
  if (distortion === 'noise') {
    const d = image.data;
    for (let i = 0; i < d.length; i += 4) {
      const n = (rng() + rng() + rng() - 1.5) * 60;
      d[i] = Math.max(0, Math.min(255, d[i] + n));
      d[i + 1] = Math.max(0, Math.min(255, d[i + 1] + n));
      d[i + 2] = Math.max(0, Math.min(255, d[i + 2] + n));
    }
  }
  if (distortion === 'jpeg') {
    const blob = await new Promise((res) => ctx.canvas.toBlob(res, 'image/jpeg', 0.3));
    const bitmap = await createImageBitmap(blob);
    ctx.drawImage(bitmap, 0, 0);
    image = ctx.getImageData(0, 0, W, H);
  }
  return { text, image, label: `${modulePx}px ${rotation}° ${distortion}` };
}

async function frames(codes) {
  const canvas = document.getElementById('c');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rng = mulberry32(20221225);
  const out = [];
  let next = 0;
  for (const modulePx of MODULES) {
    for (const rotation of ROTATIONS) {
      for (const distortion of DISTORTIONS) {
        const { text, size, bits } = codes[next++ % codes.length];
        const modules = { size, get: (r, c) => bits[r * size + c] === '1' };
        out.push(await frame(ctx, modules, text, modulePx, rotation, distortion, rng));
      }
    }
  }
  return out;
}

/** Our decoder as the till runs it: in its worker, which says when it is ready. */
async function oursWorker() {
  const worker = new Worker('/dist/merchant/quan-scanner_loader.js');
  await new Promise((resolve, reject) => {
    worker.onmessage = (e) => { if (e.data.ready) resolve(); };
    worker.onerror = (e) => reject(new Error(e.message));
  });
  let pending = null;
  worker.onmessage = (e) => { pending?.resolve(e.data.text); pending = null; };
  worker.onerror = (e) => { pending?.reject(new Error(e.message)); pending = null; };
  return (image) => new Promise((resolve, reject) => {
    pending = { resolve, reject };
    const data = new Uint8ClampedArray(image.data);
    worker.postMessage({ width: image.width, height: image.height, data }, [data.buffer]);
  });
}

async function run(name, decode, all) {
  let decoded = 0;
  let wrong = 0;
  let ms = 0;
  const misses = [];
  for (const f of all) {
    const t0 = performance.now();
    let text = null;
    try { text = await decode(f.image); } catch { text = null; }
    ms += performance.now() - t0;
    if (text === f.text) decoded++;
    else if (text) { wrong++; misses.push(`${f.label}: read ${text}`); }
    else misses.push(f.label);
  }
  return { name, frames: all.length, decoded, wrong, share: decoded / all.length, ms_per_frame: ms / all.length, misses };
}

/** `codes`: the wallet codes to draw, with their QR modules (made by the runner). */
window.runBench = async (codes) => {
  const all = await frames(codes);
  const zxingReady = window.ZXingWASM.prepareZXingModule({
    overrides: { locateFile: (path) => `/node_modules/zxing-wasm/dist/reader/${path}` },
    fireImmediately: true,
  });
  await zxingReady;
  const decoders = [
    ['ours (rqrr, worker)', await oursWorker()],
    ['jsQR', async (img) => window.jsQR(img.data, img.width, img.height)?.data ?? null],
    ['zbar-wasm', async (img) => {
      const symbols = await window.zbarWasm.scanImageData(img);
      return symbols.length ? symbols[0].decode() : null;
    }],
    ['zxing-wasm', async (img) => {
      const r = await window.ZXingWASM.readBarcodes(img, { formats: ['QRCode'], tryHarder: true });
      return r.length && r[0].isValid ? r[0].text : null;
    }],
  ];
  // Warm each decoder once (module instantiation is not decoding).
  for (const [, decode] of decoders) { try { await decode(all[0].image); } catch { /* counted below */ } }
  const results = [];
  for (const [name, decode] of decoders) {
    results.push(await run(name, decode, all));
  }
  return { width: W, height: H, frames: all.length, decoders: results };
};

/** The frames with these labels, as PNG data URLs (for looking at what a decoder missed). */
window.frameImages = async (codes, labels) => {
  const all = await frames(codes);
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  return all.filter((f) => labels.includes(f.label)).map((f) => {
    ctx.putImageData(f.image, 0, 0);
    return canvas.toDataURL('image/png');
  });
};
