// `cargo xtask bench scan`, second part: at a till, from the camera frame that shows a code to
// the look-up's answer on the screen, against the optimised server on loopback. Chromium's fake
// camera plays the symbol a resident's wallet shows; the till marks the capture of the frame the
// code was read from and measures `quan:look-up` once the answer is shown. For reference, the
// same look-up as a bare request from the page. Prints one JSON object.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, qrVideo, residentShowingCode, tillSignedIn,
} from '../e2e/helpers.mjs';

const ROUNDS = 12;
const server = await startServer({ QUAN_DEMO: '1', QUAN_CLOCK_AT: '2026-03-02 10:30:00' });
const phones = await launchBrowser();
let tablet;
try {
  const phone = await residentShowingCode(phones, server.url, '13700000001', '满200减40');
  const video = join(mkdtempSync(join(tmpdir(), 'quan-bench-cam-')), 'code.y4m');
  await qrVideo(await phone.modules(), video, { seconds: 2 });
  tablet = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  const { page } = await tillSignedIn(tablet, server.url);
  const lookUps = [];
  // The camera stays open for the next customer: after the first round, cancelling the amount
  // brings the camera back, and it reads the code again.
  await page.getByRole('button', { name: '打开摄像头扫码' }).click();
  for (let i = 0; i < ROUNDS; i++) {
    await page.getByRole('heading', { name: /满200减40/ }).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => performance.getEntriesByName('quan:look-up').length > 0);
    lookUps.push(await page.evaluate(() => {
      const [m] = performance.getEntriesByName('quan:look-up');
      performance.clearMeasures('quan:look-up');
      return m.duration;
    }));
    await page.getByRole('button', { name: '取消' }).click();
  }
  // The bare request: the same look-up from the page, with the till's session.
  const code = await phone.code();
  const requests = await page.evaluate(async ({ code, rounds }) => {
    const token = JSON.parse(localStorage.getItem('quan.merchant.session') ?? 'null')?.token;
    const out = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await fetch('/api/v1/merchant/lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ code }),
      });
      out.push(performance.now() - t0);
    }
    return out;
  }, { code, rounds: ROUNDS });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(JSON.stringify({
    rounds: ROUNDS,
    look_up_ms: { median: median(lookUps), max: Math.max(...lookUps), all: lookUps },
    request_ms: { median: median(requests), max: Math.max(...requests) },
  }, null, 2));
} finally {
  await tablet?.close();
  await phones.close();
  server.stop();
}
