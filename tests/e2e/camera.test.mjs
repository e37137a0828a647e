// The till's camera, for real: Chromium's fake camera plays a video of the code a resident's
// wallet shows; the decoder worker reads it, the till looks it up and redeems. With the camera
// refused, the till says so in words and the keypad still redeems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, screenshot, qrVideo, residentShowingCode, tillSignedIn, typeAmount,
} from './helpers.mjs';

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

/**
 * A resident showing a code of `denomination`, and a tablet whose fake camera plays a video of it
 * (`video`: qrVideo's options). `run(tablet, phone)` is the test; both are closed after it.
 */
async function withCameraOnCode(mobile, denomination, video, run) {
  const phone = await residentShowingCode(phones, server.url, mobile, denomination);
  const file = join(mkdtempSync(join(tmpdir(), 'quan-cam-')), 'code.y4m');
  await qrVideo(await phone.modules(), file, video);
  const tablet = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
  ]);
  try {
    await run(tablet, phone);
  } finally {
    await tablet.close();
    await phone.context.close();
  }
}

test('the camera reads the code from the resident\'s wallet and the till redeems it', async () => {
  await withCameraOnCode('13700000001', '满200减40', {}, async (tablet, phone) => {
    const { page, problems } = await tillSignedIn(tablet, server.url);
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    // Read by the worker and looked up: the coupon and the keypad appear.
    await page.getByRole('heading', { name: /零售通用券 · 满200减40/ }).waitFor({ timeout: 15_000 });
    await typeAmount(page, '300');
    await page.getByRole('button', { name: '确认核销' }).click();
    await page.getByRole('heading', { name: '核销成功' }).waitFor();
    await phone.page.getByText('核销成功').waitFor({ timeout: 5_000 });
    await screenshot(page, 'merchant-camera-redeemed');
    assert.deepEqual(problems.filter((p) => !p.includes('status of')), []);
  });
});

test('a code shown small and tilted, at arm\'s length, is read from the camera\'s full frame', async () => {
  // Two and a half pixels a module, 20° off: scaled down to half, as the till once sent it, the
  // modules would be blurred together.
  await withCameraOnCode('13700000003', '满200减40', { width: 1280, height: 720, module: 2.5, rotate: 20 }, async (tablet, phone) => {
    const { page, problems } = await tillSignedIn(tablet, server.url);
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    await page.getByRole('heading', { name: /零售通用券 · 满200减40/ }).waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('decoder-failing').count(), 0);
    assert.deepEqual(problems.filter((p) => !p.includes('status of')), []);
  });
});

test('a decoder worker that dies is replaced at once, and the next one reads the code', async () => {
  await withCameraOnCode('13700000004', '满200减40', {}, async (tablet, phone) => {
    const { page } = await tillSignedIn(tablet, server.url);
    // The first worker dies as it starts (as a trap in its wasm would kill it).
    let loads = 0;
    await page.route('**/merchant/quan-scanner_loader.js', (route) => {
      loads += 1;
      return loads === 1
        ? route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("the decoder died");' })
        : route.continue();
    });
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    await page.getByRole('heading', { name: /零售通用券 · 满200减40/ }).waitFor({ timeout: 15_000 });
    assert.ok(loads >= 2, `the worker was started again (${loads} loads)`);
    // Once is no reason to trouble the merchant.
    assert.equal(await page.getByTestId('decoder-failing').count(), 0);
  });
});

test('with the camera refused the till says why, and typing the code still redeems', async () => {
  const phone = await residentShowingCode(phones, server.url, '13700000002', '满50减10');
  // A fake camera, but no one to grant it: the request is refused.
  const tablet = await launchBrowser(['--use-fake-device-for-media-stream']);
  try {
    const { page } = await tillSignedIn(tablet, server.url);
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    const why = page.getByTestId('camera-unavailable');
    await why.waitFor({ timeout: 12_000 });
    assert.match(await why.innerText(), /扫码枪或手动输入/);
    await screenshot(page, 'merchant-camera-refused');
    await page.getByLabel('券码（20位数字）').fill(await phone.code());
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: /零售通用券 · 满50减10/ }).waitFor();
    await typeAmount(page, '88');
    await page.getByRole('button', { name: '确认核销' }).click();
    await page.getByRole('heading', { name: '核销成功' }).waitFor();
  } finally {
    await tablet.close();
    await phone.context.close();
  }
});
