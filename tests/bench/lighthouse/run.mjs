// Lighthouse's mobile audit (simulated slow 4G, 4x CPU slowdown) of a page, in Debian's
// Chromium: the median largest contentful paint and total blocking time over a few runs, and the
// same for the page's first paint alone (its WebAssembly blocked), measured in the same run as the
// reference: what the HTML alone reaches.
// Usage: node tests/bench/lighthouse/run.mjs URL — prints one JSON object.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const url = process.argv[2];
const RUNS = 3;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function audit(blocked) {
  const result = await lighthouse(url, {
    port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'],
    blockedUrlPatterns: blocked,
  });
  const a = result.lhr.audits;
  if (result.lhr.runtimeError) throw new Error(result.lhr.runtimeError.message);
  return {
    score: result.lhr.categories.performance.score,
    lcp_ms: a['largest-contentful-paint'].numericValue,
    tbt_ms: a['total-blocking-time'].numericValue,
    fcp_ms: a['first-contentful-paint'].numericValue,
  };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (runs) => ({
  runs,
  score: median(runs.map((r) => r.score)),
  lcp_ms: median(runs.map((r) => r.lcp_ms)),
  tbt_ms: median(runs.map((r) => r.tbt_ms)),
  fcp_ms: median(runs.map((r) => r.fcp_ms)),
});

try {
  const page = [];
  const firstPaint = [];
  for (let i = 0; i < RUNS; i++) {
    page.push(await audit([]));
    firstPaint.push(await audit(['*.wasm']));
  }
  console.log(JSON.stringify({ url, page: summary(page), first_paint: summary(firstPaint) }, null, 2));
} finally {
  await chrome.kill();
}
