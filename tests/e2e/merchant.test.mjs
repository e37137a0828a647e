// The till on a tablet, with a resident's phone beside it: the code typed on the keypad, or
// scanned with a gun (keystrokes faster than any person, then Enter); the amount; the
// redemption the resident sees; the same code refused a second time; undo from today's list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, phonePage, screenshot, axeViolations, residentShowingCode, tillSignedIn, typeAmount,
} from './helpers.mjs';

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

test('typed code, keypad amount, redeemed; the phone sees it; the code is refused again', async () => {
  const phone = await residentShowingCode(browser, server.url, '13900000001', '满200减40');
  const { context, page, problems } = await tillSignedIn(browser, server.url);
  await screenshot(page, 'merchant-till');
  await page.getByLabel('券码（20位数字）').fill(await phone.code());
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('heading', { name: /零售通用券 · 满200减40/ }).waitFor();
  await typeAmount(page, '250');
  assert.equal(await page.getByTestId('amount').innerText(), '250');
  assert.match(await page.getByTestId('to-pay').innerText(), /优惠 −40 元 · 实付 210 元/);
  await screenshot(page, 'merchant-amount');
  await page.getByRole('button', { name: '确认核销' }).click();
  await page.getByRole('heading', { name: '核销成功' }).waitFor();
  await screenshot(page, 'merchant-receipt');
  await phone.page.getByText('核销成功').waitFor({ timeout: 5_000 });
  // The same coupon again: refused in words the merchant can read out.
  await page.getByRole('button', { name: '下一位顾客' }).click();
  await page.getByLabel('券码（20位数字）').fill('00000000000000000000');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('alert').waitFor();
  // The refused look-up is the only failed request (the browser logs it); nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !p.includes('status of 422')), []);
  await phone.context.close();
  await context.close();
});

test('a scanner gun anywhere on the screen, then undo from today', async () => {
  const phone = await residentShowingCode(browser, server.url, '13900000002', '满50减10');
  const { context, page } = await tillSignedIn(browser, server.url);
  // The gun types twenty digits in a burst and Enter, with the focus nowhere in particular.
  await page.locator('h1').click();
  await page.keyboard.type(await phone.code(), { delay: 5 });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /零售通用券 · 满50减10/ }).waitFor();
  await typeAmount(page, '60');
  await page.getByRole('button', { name: '确认核销' }).click();
  await page.getByRole('heading', { name: '核销成功' }).waitFor();
  // A person typing slowly into the page is not taken for a scan.
  await page.getByRole('button', { name: '下一位顾客' }).click();
  await page.locator('h1').click();
  await page.keyboard.type('12345678901234567890', { delay: 120 });
  await page.keyboard.press('Enter');
  assert.equal(await page.getByRole('heading', { name: /零售通用券/ }).count(), 0);

  await page.getByRole('link', { name: '今日' }).click();
  const totals = page.getByTestId('totals');
  await totals.waitFor();
  // The day has its own address: it survives a reload, and back returns to the till.
  assert.match(page.url(), /\/merchant\/today$/);
  await page.reload();
  await totals.waitFor();
  await page.goBack();
  await page.getByLabel('券码（20位数字）').waitFor();
  await page.goForward();
  await totals.waitFor();
  assert.match(await totals.innerText(), /笔数\s*\d+/);
  // The settlement to export for the bank.
  assert.match(await page.getByTestId('settlement').innerText(), /零售通用券 · \d+ 笔 · 申请结算 \d+ 元/);
  const before = Number((await totals.locator('dd').first().innerText()).trim());
  await screenshot(page, 'merchant-today');
  await page.getByRole('button', { name: '撤销 满50减10' }).click();
  await page.getByRole('alert').getByRole('button', { name: '撤销' }).click();
  await page.getByText('已撤销').first().waitFor();
  assert.equal(Number((await totals.locator('dd').first().innerText()).trim()), before - 1);
  // The coupon is back in the resident's wallet.
  await phone.page.getByRole('link', { name: '返回我的券' }).click();
  await phone.page.getByText('可使用').first().waitFor();
  await phone.context.close();
  await context.close();
});

test('every till page passes axe', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/merchant/`);
  await page.getByLabel('账号').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'sign-in');
  await page.getByLabel('账号').fill('retail');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('券码（20位数字）').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'till');
  await page.getByRole('link', { name: '今日' }).click();
  await page.getByTestId('totals').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'today');
  // A shop that issues coupons has one page more.
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('账号').fill('jishan-appliance');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '发券' }).click();
  await page.getByLabel('顾客手机号').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'issue');
  await context.close();
});

test('a shop checks the order and issues an appliance coupon; the customer redeems it at the till', async () => {
  // The customer signs in once with a mobile number: the shop finds them by it.
  const { context: phoneContext, page: phone } = await phonePage(browser);
  await phone.goto(`${server.url}/sign-in`);
  await phone.getByLabel('手机号').fill('13900000077');
  await phone.getByRole('button', { name: '登录' }).click();
  await phone.getByRole('link', { name: '我的券' }).waitFor();

  const { context, page, problems } = await tillSignedIn(browser, server.url, 'jishan-appliance');
  await page.getByRole('link', { name: '发券' }).click();
  assert.match(page.url(), /\/merchant\/issue$/);
  await page.getByLabel('顾客手机号').fill('139 0000 0077');
  await typeAmount(page, '8000');
  assert.match(await page.getByTestId('issue-value').innerText(), /本券最多减 800 元/);
  await screenshot(page, 'merchant-issue');
  await page.getByRole('button', { name: '发券' }).click();
  await page.getByRole('heading', { name: '已发券' }).waitFor();
  assert.match(await page.getByRole('status').innerText(), /139\*\*\*\*0077/);

  // A second one the same day is refused in words.
  await page.getByRole('button', { name: '下一位顾客' }).click();
  await page.getByLabel('顾客手机号').fill('13900000077');
  await typeAmount(page, '3000');
  await page.getByRole('button', { name: '发券' }).click();
  await page.getByRole('alert').waitFor();

  // In the wallet at once; shown at the till and redeemed against the order.
  await phone.getByRole('link', { name: '我的券' }).click();
  await phone.getByText('数码家电消费券').first().waitFor();
  await phone.getByRole('link', { name: '出示付款码' }).first().click();
  await phone.getByTestId('code-digits').waitFor();
  const code = (await phone.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  await page.getByRole('link', { name: '收银' }).click();
  await page.getByLabel('券码（20位数字）').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('heading', { name: /数码家电消费券/ }).waitFor();
  await typeAmount(page, '8000');
  assert.match(await page.getByTestId('to-pay').innerText(), /优惠 −800 元 · 实付 7200 元/);
  await page.getByRole('button', { name: '确认核销' }).click();
  await page.getByRole('heading', { name: '核销成功' }).waitFor();
  await phone.getByText('核销成功').waitFor({ timeout: 5_000 });
  // The refused second issue is the only failed request.
  assert.deepEqual(problems.filter((p) => !p.includes('status of 409')), []);
  await phoneContext.close();
  await context.close();
});

test('a four-treasures shop sets up coupons; a resident claims one and uses it there', async () => {
  const { context, page, problems } = await tillSignedIn(browser, server.url, 'treasures');
  await page.getByRole('link', { name: '设券' }).click();
  await page.getByLabel('满多少元可用').fill('200');
  await page.getByLabel('张数').fill('50');
  assert.match(await page.getByTestId('offer-preview').innerText(), /满200减20/);
  await page.getByRole('button', { name: '发布' }).click();
  await page.getByTestId('my-offers').getByText('满200减20 · 已领 0 / 50').waitFor();
  await screenshot(page, 'merchant-offers');

  const { context: phoneContext, page: phone } = await phonePage(browser);
  await phone.goto(`${server.url}/sign-in`);
  await phone.getByLabel('手机号').fill('13900000088');
  await phone.getByRole('button', { name: '登录' }).click();
  await phone.getByRole('button', { name: '领取 稷山四宝特产店 满200减20' }).click();
  await phone.getByText('领取成功').first().waitFor();
  await phone.getByRole('link', { name: '我的券' }).click();
  await phone.getByRole('link', { name: '出示付款码' }).first().click();
  await phone.getByTestId('code-digits').waitFor();
  const code = (await phone.getByTestId('code-digits').innerText()).replace(/\s/g, '');

  await page.getByRole('link', { name: '收银' }).click();
  await page.getByLabel('券码（20位数字）').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('heading', { name: /稷山四宝消费券 · 满200减20/ }).waitFor();
  await typeAmount(page, '260');
  await page.getByRole('button', { name: '确认核销' }).click();
  await page.getByRole('heading', { name: '核销成功' }).waitFor();
  await page.getByRole('link', { name: '设券' }).click();
  await page.getByTestId('my-offers').getByText('满200减20 · 已领 1 / 50').waitFor();
  assert.deepEqual(problems, []);
  await phoneContext.close();
  await context.close();
});
