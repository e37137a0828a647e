// 预约抽签, demo mode off: Qinshui's first round switched to `draw` in its campaign file. A
// resident signed in by the host app signs up before 10:00, sees the ticket, and at 10:00 hears
// they were drawn and finds the coupon in the wallet; anyone can check the published seed
// against the commitment made when sign-up opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, phonePage, screenshot, axeViolations } from './helpers.mjs';

const BIN = process.env.QUAN_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'quan-server');
const data = mkdtempSync(join(tmpdir(), 'quan-e2e-draw-'));
const host = generateKeyPairSync('ed25519');
const hostPublic = host.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

let server;
let browser;

function hostToken(sub, name) {
  const b64 = (b) => Buffer.from(b).toString('base64url');
  const payload = b64(JSON.stringify({ sub, name, exp: Date.now() + 600_000 }));
  return `${payload}.${b64(sign(null, Buffer.from(payload), host.privateKey))}`;
}

before(async () => {
  // The county's file, its first round given out by draw: sign-up until the release time.
  const campaigns = join(data, 'campaigns');
  mkdirSync(campaigns);
  const file = readFileSync(join(ROOT, 'server', 'campaigns', 'qinshui-2022-r2.toml'), 'utf8').replace(
    'number = 1\nname = "第一轮"\n',
    'number = 1\nname = "第一轮"\nrelease = "draw"\nsign_up = { opens = "08:00", closes = "10:00" }\n',
  );
  assert.match(file, /release = "draw"/);
  writeFileSync(join(campaigns, 'qinshui-2022-r2.toml'), file);
  const keyFile = join(data, 'data.key');
  writeFileSync(keyFile, execFileSync(BIN, ['data-key', 'new'], { encoding: 'utf8' }), { mode: 0o400 });
  const env = {
    QUAN_DATABASE_URL: `sqlite:${join(data, 'quan.db')}`,
    QUAN_UPLOADS: join(data, 'uploads'),
    QUAN_DATA_KEY_FILE: keyFile,
    QUAN_CAMPAIGNS: campaigns,
  };
  execFileSync(BIN, ['admin', 'create-operator', 'ju.zhang', '--display', '县商务局 张'], {
    input: 'Ju-Zhang-2026x\n', env: { ...process.env, ...env, RUST_LOG: 'warn' }, encoding: 'utf8',
  });
  server = await startServer({ ...env, QUAN_HOST_PUBLIC_KEY: hostPublic, QUAN_CLOCK_AT: '2022-09-27 09:59:35' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('a resident signs up for the draw, is drawn at 10:00 and finds the coupon in the wallet', async () => {
  // (CSP bypassed for axe's script only.)
  const { context, page, problems } = await phonePage(browser, { bypassCSP: true });
  await page.goto(`${server.url}/#token=${encodeURIComponent(hostToken('bank:draw-1', '李秀兰'))}`);
  const times = page.getByTestId('draw-times').first();
  await times.getByText(/预约抽签：报名 08:00–10:00 · 开奖 10:00/).waitFor();
  await page.getByRole('button', { name: '报名 满50减10' }).first().click();
  const notice = page.getByTestId('sign-up').first();
  await notice.getByText(/已报名 满50减10 · 签号 [0-9a-f]{16} · 开奖时间 10:00/).waitFor();
  // One sign-up a kind a day: the kind's other denomination waits too.
  const other = page.getByRole('button', { name: '已报名 满200减40' }).first();
  await other.waitFor();
  assert.equal(await other.isDisabled(), true);
  assert.deepEqual(await axeViolations(page), [], 'signed up for the draw');
  await screenshot(page, 'draw-signed-up');

  // 10:00 by the server's clock: the draw is made, and the page hears it by itself.
  await notice.getByText(/中签：满50减10，券已放入「我的券」。/).waitFor({ timeout: 60_000 });
  assert.deepEqual(await axeViolations(page), [], 'drawn');
  await screenshot(page, 'draw-won');
  await page.getByRole('link', { name: '我的券' }).click();
  await page.getByText('满50减10').first().waitFor();
  await page.getByRole('link', { name: '出示付款码' }).first().waitFor();
  assert.deepEqual(problems, []);
  await context.close();

  // Anyone checks the seed against the commitment published when sign-up opened.
  const res = await fetch(`${server.url}/api/v1/campaigns/qinshui-2022-r2/draws`);
  assert.equal(res.status, 200);
  const [day] = await res.json();
  assert.equal(day.day, '2022-09-27');
  assert.equal(createHash('sha256').update(Buffer.from(day.seed, 'hex')).digest('hex'), day.commitment);
  assert.equal(day.sign_ups, 1);
  assert.equal(day.winners, 1);
  const list = await (await fetch(`${server.url}/api/v1/campaigns/qinshui-2022-r2/draws/2022-09-27/sign-ups.csv`)).text();
  assert.match(list, /^\ufeff?ticket,kind,denomination,place,outcome\n[0-9a-f]{16},retail,0,1,won\n$/);

  // The bureau's report lists the day's draw with its seed, and links the list of tickets.
  const context2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
  const bureau = await context2.newPage();
  await bureau.goto(`${server.url}/operator/`);
  await bureau.getByLabel('账号').fill('ju.zhang');
  await bureau.getByLabel('密码').fill('Ju-Zhang-2026x');
  await bureau.getByRole('button', { name: '登录' }).click();
  const row = bureau.getByTestId('draws').getByRole('row', { name: /2022-09-27/ });
  await row.waitFor();
  assert.deepEqual((await row.getByRole('cell').allInnerTexts()).slice(0, 4), ['1', '1', day.seed, day.commitment]);
  assert.deepEqual(await axeViolations(bureau), []);
  await row.scrollIntoViewIfNeeded();
  await screenshot(bureau, 'console-draws');
  await context2.close();
});
