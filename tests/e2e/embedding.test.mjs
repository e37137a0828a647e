// The widget inside a host app: the token by postMessage from an allowed origin (or in the URL
// fragment, removed at once), events back to the host, the host's colour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage, screenshot, api } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ QUAN_DEMO: '1', QUAN_CLOCK_AT: '2026-03-02 10:30:00' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('a host page hands the token over by postMessage and hears the claim', async () => {
  const { context, page, problems } = await phonePage(browser, { viewport: { width: 420, height: 900 } });
  await page.goto(`${server.url}/host-demo.html`);
  await page.getByRole('button', { name: 'Open the widget' }).click();
  const widget = page.frameLocator('#widget');
  // Signed in through the handshake: the claim button is there and enabled.
  const claim = widget.getByRole('button', { name: '领取 满50减10' }).first();
  await claim.waitFor();
  await widget.getByRole('button', { name: '退出' }).waitFor();
  const masthead = widget.locator('.masthead');
  assert.equal(await masthead.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(0, 91, 172)');
  await claim.click();
  await widget.getByText('领取成功').first().waitFor();
  await page.locator('#events li[data-name=claimed]').waitFor();
  const event = JSON.parse(await page.locator('#events li[data-name=claimed]').innerText());
  assert.equal(event.kind, 'retail');
  assert.ok(event.coupon > 0);
  await screenshot(page, 'host-demo');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a token in the URL fragment signs in and leaves no trace in the address', async () => {
  const issued = await api(server.url, 'POST', '/demo/host-token', null, { sub: 'fragment-person' });
  assert.equal(issued.status, 200);
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.url}/wallet#token=${encodeURIComponent(issued.body.token)}`);
  await page.getByRole('button', { name: '退出' }).waitFor();
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(await page.evaluate(() => window.location.hash), '');
  await page.getByText('还没有券').waitFor();
  await context.close();
});

test('a tap while the host token is still being exchanged waits for it, then claims', async () => {
  const issued = await api(server.url, 'POST', '/demo/host-token', null, { sub: 'slow-network-person' });
  assert.equal(issued.status, 200);
  const { context, page, problems } = await phonePage(browser);
  // The exchange is held, as on a slow network, until the claim button has been looked at.
  let answer;
  const held = new Promise((resolve) => { answer = resolve; });
  await page.route('**/api/v1/session/host', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}/#token=${encodeURIComponent(issued.body.token)}`);
  const waiting = page.getByRole('button', { name: '正在登录… 满50减10' }).first();
  await waiting.waitFor();
  assert.equal(await waiting.isDisabled(), true);
  await screenshot(page, 'host-token-signing-in');
  answer();
  await page.getByRole('button', { name: '领取 满50减10' }).first().click();
  await page.getByText('领取成功').first().waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page on an origin not on the list cannot frame the widget', async () => {
  const { context, page } = await phonePage(browser);
  const refused = [];
  page.on('console', (m) => { if (m.text().includes('frame-ancestors')) refused.push(m.text()); });
  // A page with another (opaque) origin frames the widget: the CSP's frame-ancestors refuses it.
  await page.setContent(`<iframe id="w" src="${server.url}/"></iframe>`);
  await assert.rejects(
    page.frameLocator('#w').getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor({ timeout: 3_000 }),
  );
  await context.close();
});
