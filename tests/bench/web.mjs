// `cargo xtask bench web`: the resident's first load as served (compressed bytes, against the
// budget), and in headless Chromium with 4x CPU slowdown and a slow-4G network, the time to the
// first paint (index.html alone, the reference) and until the wallet is visible.
// Usage: node tests/bench/web.mjs URL — prints one JSON object.
import http from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const base = process.argv[2];
const RUNS = 3;
const BUDGET = 130 * 1024;
const TARGET = 100 * 1024;

function fetchRaw(path) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? 'identity', body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

async function firstLoad() {
  const index = await fetchRaw('/');
  const html = (index.encoding === 'br' ? brotliDecompressSync(index.body) : index.body).toString('utf8');
  // Everything index.html loads at start: the loader script, the wasm, the stylesheet.
  const assets = [...html.matchAll(/['"](\/[^'"]+\.(?:js|wasm|css))['"]/g)].map((m) => m[1]);
  const files = [{ path: '/', bytes: index.body.length, encoding: index.encoding }];
  for (const path of [...new Set(assets)]) {
    const r = await fetchRaw(path);
    files.push({ path, bytes: r.body.length, encoding: r.encoding });
  }
  return { files, total: files.reduce((a, f) => a + f.bytes, 0) };
}

async function session() {
  const token = await fetch(`${base}/api/v1/demo/host-token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'bench-resident' }),
  }).then((r) => r.json());
  return fetch(`${base}/api/v1/session/host`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: token.token }),
  }).then((r) => r.text());
}

async function timed(browser, sessionJson) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
  await context.addInitScript((s) => localStorage.setItem('quan.session', s), sessionJson);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // Lighthouse's slow 4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${base}/wallet`, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: '我的券', level: 2 }).waitFor({ timeout: 60_000 });
  const times = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    return { firstPaintMs: fcp, walletVisibleMs: performance.now() };
  });
  await context.close();
  return times;
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const load = await firstLoad();
const sessionJson = await session();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await timed(browser, sessionJson));
await browser.close();
console.log(JSON.stringify({
  first_load_bytes: load.total,
  budget_bytes: BUDGET,
  target_bytes: TARGET,
  files: load.files,
  runs,
  first_paint_ms: median(runs.map((r) => r.firstPaintMs)),
  wallet_visible_ms: median(runs.map((r) => r.walletVisibleMs)),
}, null, 2));
