// Day one of a real campaign, demo mode off: the first operator, made on the command line, signs
// in to the console, imports the county's merchant list (its one bad line reported, the rest
// imported after the preview) and opens a shop's manager, whose slip has a one-time password; the manager
// chooses their own at the till and adds a cashier the same way; the cashier redeems a
// resident's coupon (the resident signed in by the host app's token); the audit office sees
// every step in the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, phonePage, screenshot, typeAmount } from './helpers.mjs';

const BIN = process.env.QUAN_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'quan-server');
const data = mkdtempSync(join(tmpdir(), 'quan-e2e-accounts-'));
const env = { QUAN_DATABASE_URL: `sqlite:${join(data, 'quan.db')}`, QUAN_UPLOADS: join(data, 'uploads') };
// The host app's key pair: the server is given the public half, as a bank would configure it.
const host = generateKeyPairSync('ed25519');
const hostPublic = host.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

let server;
let browser;

/** `quan-server ARGS…` on the campaign's database, with `input` on standard input. */
function command(args, input = '') {
  return execFileSync(BIN, args, { input, env: { ...process.env, ...env, RUST_LOG: 'warn' }, encoding: 'utf8' });
}

/** The token the host app would hand the widget for the person `sub`. */
function hostToken(sub, name) {
  const b64 = (b) => Buffer.from(b).toString('base64url');
  const payload = b64(JSON.stringify({ sub, name, exp: Date.now() + 600_000 }));
  return `${payload}.${b64(sign(null, Buffer.from(payload), host.privateKey))}`;
}

before(async () => {
  // The data key first, in a file of its own, as README's day one makes it.
  writeFileSync(join(data, 'data.key'), command(['data-key', 'new']), { mode: 0o400 });
  env.QUAN_DATA_KEY_FILE = join(data, 'data.key');
  command(['admin', 'create-operator', 'ju.zhang', '--display', '县商务局 张'], 'Ju-Zhang-2026x\n');
  command(['admin', 'create-account', 'shen.ji', '--role', 'auditor'], 'Yi-Ci-Mima-3\n');
  server = await startServer({ ...env, QUAN_CLOCK_AT: '2022-09-27 10:30:00', QUAN_HOST_PUBLIC_KEY: hostPublic });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function signedIn(path, username, password, viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return { context, page, problems };
}

/** The first sign-in with a one-time password: a new one, after a weak one is refused. */
async function chooseNewPassword(page, name, password) {
  await page.getByRole('heading', { name: '新密码' }).waitFor();
  await page.getByLabel('新密码', { exact: true }).fill('password1');
  await page.getByLabel('再输入一次新密码').fill('password1');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByRole('alert').getByText(/至少 8 位/).waitFor();
  await screenshot(page, `accounts-new-password-${name}`);
  await page.getByLabel('新密码', { exact: true }).fill(password);
  await page.getByLabel('再输入一次新密码').fill(password);
  await page.getByRole('button', { name: '保存新密码' }).click();
}

test('day one: operator, manager, cashier and auditor, each in their own place', async () => {
  // The operator made on the command line chose the password, and signs in straight away.
  const op = await signedIn('/operator/', 'ju.zhang', 'Ju-Zhang-2026x', { width: 1280, height: 900 });
  await op.page.getByRole('link', { name: '商户', exact: true }).waitFor();
  await op.page.getByRole('link', { name: '商户', exact: true }).click();
  // The county's list, as Excel saves it; its third shop's credit code was mistyped.
  const list = [
    '名称,统一社会信用代码,类别,县,地址,联系人',
    '沁水百货大楼,91350100M000100Y43,商业零售,沁水县,"龙港镇, 新建路 1 号",王经理',
    '沁河人家饭店,92140521MA0K2XY01H,住餐文旅,沁水县,,',
    '抄错码的店,91350100M000100Y44,商业零售,沁水县,,',
  ].join('\r\n');
  await op.page.getByLabel('名单文件').setInputFiles({ name: '商户名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${list}\r\n`) });
  await op.page.getByRole('button', { name: '预览' }).click();
  await op.page.getByTestId('import-summary').getByText(/预览（尚未写入）：新增 2，更新 0，无变化 0，有误 1/).waitFor();
  assert.match(await op.page.getByTestId('import-lines').innerText(), /4\s+有误，未导入：统一社会信用代码的校验位应为「3」/);
  await screenshot(op.page, 'accounts-import-preview');
  await op.page.getByRole('button', { name: '确认导入 2 个商户' }).click();
  await op.page.getByTestId('import-summary').getByText(/已导入：新增 2/).waitFor();
  await op.page.getByRole('rowheader', { name: '沁水百货大楼' }).waitFor();
  // The bureau opens the shop's manager: a slip with a one-time password.
  await op.page.getByLabel('商户', { exact: true }).selectOption({ label: '沁水百货大楼' });
  await op.page.getByLabel('店长账号（不含空格）').fill('dian.zhang');
  await op.page.getByLabel('店长姓名').fill('张店长');
  await op.page.getByRole('button', { name: '开设并生成一次性密码' }).click();
  const managerPassword = await op.page.getByTestId('slip-password').innerText();
  await screenshot(op.page, 'accounts-operator-slip');
  await op.context.close();

  // The manager chooses their own password at the till, and adds a cashier with a slip.
  const tablet = { width: 1024, height: 768 };
  const manager = await signedIn('/merchant/', 'dian.zhang', managerPassword, tablet);
  await chooseNewPassword(manager.page, 'manager', 'Dian-Zhang-Xin-1');
  await manager.page.getByLabel('券码（20位数字）').waitFor();
  await manager.page.getByRole('link', { name: '店员' }).click();
  await manager.page.getByLabel('账号（不含空格）').fill('shou.yin');
  await manager.page.getByLabel('姓名').fill('李收银');
  await manager.page.getByRole('button', { name: '添加并生成一次性密码' }).click();
  const cashierPassword = await manager.page.getByTestId('slip-password').innerText();
  await manager.page.getByTestId('staff').getByText(/李收银 · shou\.yin · 收银员 · 尚未首次登录/).waitFor();
  await screenshot(manager.page, 'accounts-manager-staff');
  await manager.context.close();
  const till = await signedIn('/merchant/', 'shou.yin', cashierPassword, tablet);
  await chooseNewPassword(till.page, 'cashier', 'Shou-Yin-Xin-2');
  await till.page.getByLabel('券码（20位数字）').waitFor();
  // A cashier has the till and the day, not the shop's offers or its settlement.
  assert.equal(await till.page.getByRole('link', { name: '设券' }).count(), 0);

  // A resident, signed in by the host app, claims and shows a coupon; the cashier redeems it.
  const phone = await phonePage(browser);
  await phone.page.goto(`${server.url}/#token=${encodeURIComponent(hostToken('bank:4711', '王秀英'))}`);
  await phone.page.getByRole('button', { name: '领取 满200减40' }).first().click();
  await phone.page.getByText('领取成功').first().waitFor();
  await phone.page.getByRole('link', { name: '我的券' }).click();
  await phone.page.getByRole('link', { name: '出示付款码' }).first().click();
  await phone.page.getByTestId('code-digits').waitFor();
  const code = (await phone.page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  await till.page.getByLabel('券码（20位数字）').fill(code);
  await till.page.getByRole('button', { name: '查询' }).click();
  await till.page.getByRole('heading', { name: /满200减40/ }).waitFor();
  await typeAmount(till.page, '230');
  await till.page.getByRole('button', { name: '确认核销' }).click();
  await till.page.getByRole('heading', { name: '核销成功' }).waitFor();
  await phone.context.close();
  assert.deepEqual(till.problems, []);
  await till.context.close();

  // The audit office sees every one of these steps.
  const audit = await signedIn('/operator/', 'shen.ji', 'Yi-Ci-Mima-3', { width: 1280, height: 900 });
  await chooseNewPassword(audit.page, 'auditor', 'Shen-Ji-Xin-3');
  const trail = audit.page.getByTestId('audit-trail');
  await trail.waitFor();
  const text = await trail.innerText();
  for (const step of [
    /command line\s+admin\s+\S*\s+create_account\s+ju\.zhang/,
    /ju\.zhang\s+operator\s+\S+\s+POST \/api\/v1\/operator\/merchants\/import\s+\S+commit=true\s+ok/,
    /ju\.zhang\s+operator\s+\S+\s+sign_in\s+session\s+ok: operator/,
    /ju\.zhang\s+operator\s+\S+\s+POST \/api\/v1\/operator\/merchants\/\{id\}\/managers/,
    /dian\.zhang\s+merchant_manager\s+\S+\s+POST \/api\/v1\/session\/password/,
    /dian\.zhang\s+merchant_manager\s+\S+\s+POST \/api\/v1\/merchant\/staff\s/,
    /shou\.yin\s+cashier\s+\S+\s+POST \/api\/v1\/merchant\/redemptions\s+\S+\s+ok/,
    /shen\.ji\s+auditor\s+\S+\s+sign_in/,
  ]) {
    assert.match(text, step);
  }
  // The auditor filters by what was done.
  await audit.page.getByLabel('操作包含').fill('/merchant/redemptions');
  await audit.page.getByRole('button', { name: '筛选' }).click();
  await audit.page.waitForFunction(() => !document.querySelector('[data-testid=audit-trail]')?.innerText.includes('sign_in'));
  assert.match(await trail.innerText(), /shou\.yin/);
  await screenshot(audit.page, 'accounts-audit-trail');
  assert.deepEqual(audit.problems, []);
  await audit.context.close();
});
