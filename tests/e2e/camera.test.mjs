// The till's camera, for real: Chromium's fake camera plays a video of the code a resident's
// wallet shows; the decoder worker reads it, the till looks it up and redeems. With the camera
// refused, the till says so in words and the keypad still redeems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, phonePage, screenshot, qrVideo } from './helpers.mjs';

let server;
let phones;

before(async () => {
  server = await startServer({ QUAN_DEMO: '1', QUAN_CLOCK_AT: '2026-03-02 10:30:00' });
  phones = await launchBrowser();
});

after(async () => {
  await phones?.close();
  server?.stop();
});

async function residentCode(phone, denomination) {
  const { context, page } = await phonePage(phones);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: `领取 ${denomination}` }).first().click();
  await page.getByText('领取成功').first().waitFor();
  await page.getByRole('link', { name: '我的券' }).click();
  await page.getByRole('link', { name: '出示付款码' }).first().click();
  await page.getByTestId('code-digits').waitFor();
  const code = (await page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  return { context, page, code };
}

async function signInTill(browser) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}/merchant/`);
  await page.getByLabel('账号').fill('retail');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('券码（20位数字）').waitFor();
  return { context, page };
}

test('the camera reads the code from the resident\'s wallet and the till redeems it', async () => {
  const phone = await residentCode('13700000001', '满200减40');
  const video = join(mkdtempSync(join(tmpdir(), 'quan-cam-')), 'code.y4m');
  await qrVideo(phone.code, video);
  const tablet = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const { page } = await signInTill(tablet);
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    // Read by the worker and looked up: the coupon and the keypad appear.
    await page.getByRole('heading', { name: /零售通用券 · 满200减40/ }).waitFor({ timeout: 15_000 });
    for (const d of '300') {
      await page.getByRole('group', { name: '订单金额（元）' }).getByRole('button', { name: d, exact: true }).click();
    }
    await page.getByRole('button', { name: '确认核销' }).click();
    await page.getByRole('heading', { name: '核销成功' }).waitFor();
    await phone.page.getByText('核销成功').waitFor({ timeout: 5_000 });
    await screenshot(page, 'merchant-camera-redeemed');
    assert.deepEqual(problems, []);
  } finally {
    await tablet.close();
    await phone.context.close();
  }
});

test('with the camera refused the till says why, and typing the code still redeems', async () => {
  const phone = await residentCode('13700000002', '满50减10');
  // A fake camera, but no one to grant it: the request is refused.
  const tablet = await launchBrowser(['--use-fake-device-for-media-stream']);
  try {
    const { page } = await signInTill(tablet);
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    const why = page.getByTestId('camera-unavailable');
    await why.waitFor({ timeout: 12_000 });
    assert.match(await why.innerText(), /扫码枪或手动输入/);
    await screenshot(page, 'merchant-camera-refused');
    await page.getByLabel('券码（20位数字）').fill(phone.code);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: /零售通用券 · 满50减10/ }).waitFor();
    for (const d of '88') {
      await page.getByRole('group', { name: '订单金额（元）' }).getByRole('button', { name: d, exact: true }).click();
    }
    await page.getByRole('button', { name: '确认核销' }).click();
    await page.getByRole('heading', { name: '核销成功' }).waitFor();
  } finally {
    await tablet.close();
    await phone.context.close();
  }
});
