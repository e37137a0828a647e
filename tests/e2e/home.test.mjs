// The first page, built by trunk in release and served by the real server, in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, launchBrowser, phonePage, screenshot, skewClock } from './helpers.mjs';

let server;
let browser;

before(async () => {
  // 07:00 on the 28th in China is still the evening of the 27th in New York.
  server = await startServer({ QUAN_CLOCK_AT: '2022-09-28 07:00:00', QUAN_DATA_KEY: randomBytes(32).toString('hex') });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the first page shows the campaigns and today in China, whatever the phone says', async () => {
  // A phone in New York whose clock is also two hours fast: the page must still say the 28th.
  const { page, problems } = await phonePage(browser, { timezoneId: 'America/New_York' });
  await skewClock(page, 2 * 3600 * 1000);
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-security-policy'], /'wasm-unsafe-eval'/);

  await page.getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor();
  await page.getByRole('heading', { name: '晋情消费——嗨购枣乡' }).waitFor();
  assert.ok(await page.getByText('每天开抢 10:00').first().isVisible());
  // Wait until the clock has synced with the server (the skew is corrected).
  await page.getByTestId('today').filter({ hasText: '2022年9月28日' }).waitFor({ timeout: 15_000 });
  assert.match(await page.getByTestId('today').innerText(), /今天是 2022年9月28日/);
  assert.ok(await page.getByText('满200减40').first().isVisible());
  await screenshot(page, 'home-phone');
  assert.deepEqual(problems, [], 'no console errors and no CSP violations');
});

test('the claim page draws from the page as served, on the server\'s clock, before /time, /config or /campaigns answer', async () => {
  const { page, problems } = await phonePage(browser, { timezoneId: 'America/New_York' });
  await skewClock(page, 2 * 3600 * 1000);
  // Held unanswered: the clock, the configuration and the campaigns must come from the page.
  const held = [];
  let holding = true;
  await page.route(/\/api\/v1\/(time|config|campaigns)$/, (route) => (holding ? held.push(route) : route.continue()));
  await page.goto(server.url);
  await page.getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor();
  await page.getByRole('heading', { name: '晋情消费——嗨购枣乡' }).waitFor();
  assert.ok(await page.getByText('满200减40').first().isVisible());
  // The date is the server's though the phone is in New York, two hours fast, and /time is held.
  assert.match(await page.getByTestId('today').innerText(), /今天是 2022年9月28日/);
  // And the countdown runs on it: three hours to 10:00, less the seconds since the server started.
  assert.match(await page.locator('.release').first().innerText(), /距开抢\s*0[23]:\d\d:\d\d/);
  const asked = held.map((r) => new URL(r.request().url()).pathname);
  assert.ok(!asked.includes('/api/v1/campaigns') && !asked.includes('/api/v1/config'), `asked: ${asked}`);
  assert.ok(asked.includes('/api/v1/time'), 'the clock is still measured');
  await screenshot(page, 'home-preloaded');
  // Once the API answers, the page carries on as before.
  holding = false;
  for (const r of held) await r.continue();
  await page.getByTestId('today').filter({ hasText: '2022年9月28日' }).waitFor();
  assert.deepEqual(problems, [], 'no console errors and no CSP violations');
});

test('the first paint arrives before the WebAssembly', async () => {
  const { page } = await phonePage(browser);
  // Hold the wasm back: index.html alone must already show something useful.
  await page.route('**/*.wasm', () => {});
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.locator('h1').first().innerText(), '数字消费券');
  assert.match(await page.locator('body').innerText(), /正在加载/);
});
