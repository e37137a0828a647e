// Meant for `cargo xtask bench scan` (not wired yet: see tests/bench/scan/bench.mjs): serves the decoders and tests/bench/scan/ from the repository on
// loopback, runs the comparison in headless Chromium, and prints one JSON object.
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';

/** Twenty-digit codes with a valid Luhn digit, as wallets show them, from a seeded generator. */
function codes(n) {
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const out = [];
  for (let k = 0; k < n; k++) {
    let body = '';
    for (let i = 0; i < 19; i++) body += String(Math.floor(rand() * 10));
    let sum = 0;
    [...body].reverse().forEach((ch, i) => { let d = Number(ch); if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; } sum += d; });
    const text = body + String((10 - (sum % 10)) % 10);
    const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
    let bits = '';
    for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) bits += m.get(r, c) ? '1' : '0';
    out.push({ text, size: m.size, bits });
  }
  return out;
}

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

const server = http.createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(ROOT, path);
  if (!file.startsWith(ROOT) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const brotli = (files) => files.reduce((n, f) => n + brotliCompressSync(readFileSync(join(ROOT, f))).length, 0);
const sizes = {
  'ours (rqrr, worker)': brotli(['dist/merchant/quan-scanner_loader.js', 'dist/merchant/quan-scanner.js', 'dist/merchant/quan-scanner_bg.wasm']),
  jsQR: brotli(['node_modules/jsqr/dist/jsQR.js']),
  'zbar-wasm': brotli(['node_modules/@undecaf/zbar-wasm/dist/inlined/index.js']),
  'zxing-wasm': brotli(['node_modules/zxing-wasm/dist/iife/reader/index.js', 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm']),
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  page.on('console', (m) => console.error('page:', m.text()));
  page.on('crash', () => console.error('page crashed'));
  await page.goto(`${base}/tests/bench/scan/index.html`);
  await page.waitForFunction(() => typeof window.runBench === 'function');
  const results = await page.evaluate((c) => window.runBench(c), codes(63));
  for (const r of results) r.download_bytes_brotli = sizes[r.name];
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  server.close();
}
