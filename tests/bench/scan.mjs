// `cargo xtask bench scan`: serves the decoders and tests/bench/scan/ from the repository on
// loopback, runs the comparison in headless Chromium, and prints one JSON object. The wallet codes
// to draw (twenty digits and the modules of the product's own QR symbol) are in the file named by
// the first argument, written by xtask; the mixed codes come from an independent encoder (npm
// `qrcode`): versions 1–10, every error-correction level, numeric, text, URLs and Chinese.
// QUAN_BENCH_FRAMES sets the frames per set (300).
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { chromium } from 'playwright-core';

const wallet = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const framesPerSet = Number(process.env.QUAN_BENCH_FRAMES ?? 300);

/** Codes of many shapes from an encoder that is not ours. */
function mixedCodes() {
  const texts = [
    '6222021234567890123', 'HTTPS://QUAN.EXAMPLE/C/4F2K9', 'https://pay.example.cn/q?m=141025&t=1700000000&sig=9f8e7d6c',
    '晋城市沁水县消费券 满200减40', 'WIFI:T:WPA;S:shop-2.4G;P:88886666;;', '3141592653589793238462643383279502884197169399375105820974944',
    'BEGIN:VCARD\nFN:Zhang San\nTEL:13700000001\nEND:VCARD', '稷山县 家电券 满3000减300 2023-06-01',
  ];
  const out = [];
  for (const [i, base] of texts.entries()) {
    for (const level of ['L', 'M', 'Q', 'H']) {
      // Longer texts for higher versions (up to about version 10).
      const text = base.repeat(1 + (i % 3));
      try {
        const code = QRCode.create(text, { errorCorrectionLevel: level });
        if (code.version > 10) continue;
        const size = code.modules.size;
        const bits = Array.from(code.modules.data, (b) => (b ? '1' : '0')).join('');
        out.push({ text, size, bits });
      } catch { /* too long at this level */ }
    }
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
  'ours (rxing, worker)': brotli(['dist/merchant/quan-scanner_loader.js', 'dist/merchant/quan-scanner.js', 'dist/merchant/quan-scanner_bg.wasm']),
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
  const codes = { wallet, mixed: mixedCodes() };
  const report = await page.evaluate(([c, n]) => window.runBench(c, n), [codes, framesPerSet]);
  report.download_bytes_brotli = sizes;
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  server.close();
}
