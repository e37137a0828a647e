// `cargo xtask bench scan`: serves the decoders and tests/bench/scan/ from the repository on
// loopback, runs the comparison in headless Chromium, and prints one JSON object. The codes to
// draw (the wallet's twenty digits and the modules of its QR symbol) are in the file named by the
// first argument, written by xtask from the product's own code generator and encoder.
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const codes = JSON.parse(readFileSync(process.argv[2], 'utf8'));

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
    page.on('crash', () => console.error('page crashed'));
  await page.goto(`${base}/tests/bench/scan/index.html`);
  await page.waitForFunction(() => typeof window.runBench === 'function');
  const report = await page.evaluate((c) => window.runBench(c), codes);
  for (const r of report.decoders) r.download_bytes_brotli = sizes[r.name];
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  server.close();
}
