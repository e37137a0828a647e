// A resident's day, in real Chromium against the real server: sign in, wait for the 10:00
// release on the server's clock (the phone is in New York and two hours fast), claim, see the
// countdown to 23:59 China time, show the code (decoded from a screenshot, accepted by the till),
// keep showing codes offline, see the merchant's redemption, get the coupon back on a refund.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, phonePage, screenshot, skewClock, axeViolations, api, decodeQr,
} from './helpers.mjs';

let server;
let browser;

before(async () => {
  // The demo moves the seed campaigns to start on the server's day; the release is 25 s away,
  // time enough to sign in on a slow machine and see the page before it.
  server = await startServer({ QUAN_DEMO: '1', QUAN_CLOCK_AT: '2026-03-02 09:59:35' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function merchantToken(username) {
  const r = await api(server.url, 'POST', '/session/account', null, { username, password: 'demo1234' });
  assert.equal(r.status, 200);
  return r.body.token;
}

test('claim at 10:00, show the code, redeem, refund', async () => {
  const { context, page, problems } = await phonePage(browser, { timezoneId: 'America/New_York' });
  await skewClock(page, 2 * 3600 * 1000);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('手机号').fill('13800000001');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor();

  // Before 10:00 by the server's clock: a countdown, and the button disabled.
  const claim = page.getByRole('button', { name: '领取 满200减40' }).first();
  await page.getByText('距开抢').first().waitFor();
  assert.equal(await claim.isDisabled(), true);
  await screenshot(page, 'resident-claim-before-release');
  // The button enables when the server's clock reaches 10:00.
  await page.waitForFunction(
    () => [...document.querySelectorAll('button')].some((b) => b.getAttribute('aria-label') === '领取 满200减40' && !b.disabled),
    null,
    { timeout: 45_000 },
  );
  await claim.click();
  await page.getByText('领取成功').first().waitFor();
  await screenshot(page, 'resident-claimed');

  // The wallet counts down to 23:59:59 China time: about 13:59 from just after 10:00.
  await page.getByRole('link', { name: '我的券' }).click();
  const timer = page.getByRole('timer').first();
  await timer.waitFor();
  assert.match(await timer.innerText(), /距过期 13:59:\d\d/);
  await screenshot(page, 'resident-wallet');

  // The code at the till: decoded from a screenshot, it is what the digits say, and the till accepts it.
  await page.getByRole('link', { name: '出示付款码' }).first().click();
  const qr = page.locator('.qr');
  await qr.waitFor();
  await screenshot(page, 'resident-show-code');
  const decoded = await decodeQr(await qr.screenshot());
  const digits = (await page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  assert.equal(decoded, digits);
  assert.match(decoded, /^\d{20}$/);
  const till = await merchantToken('retail');
  const look = await api(server.url, 'POST', '/merchant/lookup', till, { code: decoded });
  assert.equal(look.status, 200);
  assert.equal(look.body.applies_here, true);
  assert.equal(look.body.words, '满200减40');

  // Offline: the code keeps changing every 30 s with no network.
  await context.setOffline(true);
  await page.getByText('网络已断开').waitFor();
  await page.evaluate(() => { window.__quanSkew += 31_000; });
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid=code-digits]')?.textContent.replace(/\s/g, '') !== before,
    digits,
    { timeout: 5_000 },
  );
  const offlineCode = (await page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  assert.match(offlineCode, /^\d{20}$/);
  await screenshot(page, 'resident-show-code-offline');
  await page.evaluate(() => { window.__quanSkew -= 31_000; });
  await context.setOffline(false);

  // The merchant redeems; the resident's screen says so within a couple of seconds.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=code-digits]') !== null,
  );
  const current = (await page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  const redeemed = await api(server.url, 'POST', '/merchant/redemptions', till, { code: current, order_amount: 25_000 }, { 'idempotency-key': 'e2e-1' });
  assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
  await page.getByText('核销成功').waitFor({ timeout: 5_000 });
  assert.ok(await page.getByText('已减 40 元').isVisible());
  await screenshot(page, 'resident-redeemed');

  // A refund returns the coupon to the wallet, usable again.
  const reversed = await api(server.url, 'POST', `/merchant/redemptions/${redeemed.body.id}/reverse`, till, {});
  assert.equal(reversed.status, 200);
  await page.getByRole('link', { name: '返回我的券' }).click();
  await page.getByText('可使用').first().waitFor();
  assert.ok(await page.getByRole('link', { name: '出示付款码' }).first().isVisible());
  assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED') && !p.includes('Failed to fetch')), []);
  await context.close();
});

test('every resident page passes axe (WCAG 2.1 AA), in Chinese, English and large text', async () => {
  const { context, page } = await phonePage(browser, { bypassCSP: true, viewport: { width: 320, height: 700 } });
  await page.goto(`${server.url}/sign-in`);
  assert.deepEqual(await axeViolations(page), [], 'sign-in');
  await page.getByLabel('手机号').fill('13800000002');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor();
  await page.getByRole('button', { name: '领取 满50减10' }).first().click();
  await page.getByText('领取成功').first().waitFor();
  assert.deepEqual(await axeViolations(page), [], 'claim page');
  await page.getByRole('link', { name: '我的券' }).click();
  await page.getByRole('link', { name: '出示付款码' }).first().waitFor();
  assert.deepEqual(await axeViolations(page), [], 'wallet');
  await page.getByRole('link', { name: '出示付款码' }).first().click();
  await page.locator('.qr').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'show code');
  // English, then large text.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText('Show this at the till').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.deepEqual(await axeViolations(page), [], 'show code, English');
  await page.getByRole('button', { name: 'Large text' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
  await page.getByRole('link', { name: 'My coupons', exact: true }).click();
  await page.getByRole('link', { name: 'Show code' }).first().waitFor();
  assert.deepEqual(await axeViolations(page), [], 'wallet, large text');
  await screenshot(page, 'resident-wallet-large-text-en-320px');
  // Remembered across a reload.
  await page.reload();
  await page.getByRole('link', { name: 'Show code' }).first().waitFor();
  await context.close();
});

test('the keyboard reaches every control', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('手机号').fill('13800000003');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '晋情消费·乐购沁水' }).waitFor();
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName}:${el.getAttribute('aria-label') ?? el.textContent.trim()}` : '';
    });
    reached.add(name);
  }
  assert.ok(reached.has('BUTTON:English'), [...reached].join(' | '));
  assert.ok([...reached].some((n) => n.startsWith('A:') && n.includes('我的券')));
  assert.ok([...reached].some((n) => n.includes('领取 满50减10')));
  await context.close();
});
