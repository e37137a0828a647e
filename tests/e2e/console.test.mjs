// The operator's console against the real server: a resident claims, a till redeems, and the
// console shows that run's numbers, draws its charts, and hands out the report and the audit
// sample as CSV. Other staff accounts are turned away in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  startServer, launchBrowser, screenshot, axeViolations, residentShowingCode, api, tillSignedIn, typeAmount, phonePage,
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

async function consoleSignedIn(username) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true, bypassCSP: true,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${server.url}/operator/`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  return { context, page, problems };
}

test('the console shows the run\'s claim and redemption, its charts, and the CSVs', async () => {
  const phone = await residentShowingCode(browser, server.url, '13600000001', '满200减40');
  const till = await api(server.url, 'POST', '/session/account', null, { username: 'retail', password: 'demo1234' });
  const redeemed = await api(server.url, 'POST', '/merchant/redemptions', till.body.token,
    { code: await phone.code(), order_amount: 25_000 }, { 'idempotency-key': 'console-e2e-1' });
  assert.equal(redeemed.status, 201);
  await phone.context.close();

  const { context, page, problems } = await consoleSignedIn('operator');
  await page.getByTestId('totals').waitFor();
  const retail = page.getByTestId('figures').getByRole('row', { name: /零售通用券/ });
  await retail.waitFor();
  const cells = await retail.getByRole('cell').allInnerTexts();
  // Budget, issued, held, redeemed, discount, orders, refunds, returned, rate, coverage, leverage.
  assert.equal(cells[1], '1 · 40 元');
  assert.equal(cells[3], '1');
  assert.equal(cells[4], '40 元');
  assert.equal(cells[5], '250 元');
  assert.equal(cells[8], '100.00%');
  assert.equal(cells[10], '6.25');
  // The retail shop's settlement: one redemption, 40 yuan.
  const claim = await page.getByTestId('settlements').getByRole('row', { name: /沁水百货大楼/ }).getByRole('cell').allInnerTexts();
  assert.deepEqual(claim.slice(0, 3), ['零售通用券', '1', '40 元']);
  // One fair redemption: nothing for the auditors to flag.
  assert.match(await page.getByTestId('flags').innerText(), /未发现需要重点抽查的模式/);
  // Three charts, and the hourly one has bars in the 10 o'clock hour.
  assert.equal(await page.locator('figure.chart svg[role="img"]').count(), 3);
  const hourly = await page.locator('figure.chart svg').first().getAttribute('aria-label');
  assert.match(hourly, /发放 \d+, 核销 1/);
  await screenshot(page, 'console');
  assert.deepEqual(await axeViolations(page), []);

  const [report] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载活动报表（CSV）' }).click(),
  ]);
  const csv = readFileSync(await report.path(), 'utf8');
  assert.match(csv, /^\uFEFFkind,name,budget_yuan,issued/);
  assert.match(csv, /\nretail,零售通用券,4000000\.00,1,40\.00,1,1,40\.00,250\.00,1,100\.00,6\.25,/);
  const terms = await page.getByTestId('audit-terms').innerText();
  const seed = terms.match(/种子 (\d+)/)[1];
  const [sample] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 10% 抽查样本（CSV）' }).click(),
  ]);
  const lines = readFileSync(await sample.path(), 'utf8').trim().split('\n');
  assert.match(lines[0], new RegExp(`seed ${seed}, 10% of 1 redemption records = 1`));
  assert.match(lines[2], /,retail,.*,250\.00,40\.00,200\.00,$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the operator suspends a merchant and resumes it, blacklists it and lifts it, and imports the love-coupon list', async () => {
  const { context, page, problems } = await consoleSignedIn('operator');
  // Budget moved from fuel to retail, on record; the figures follow.
  await page.getByLabel('调出券种（未发放部分）').selectOption({ label: '加油券' });
  await page.getByLabel('调入券种').selectOption({ label: '零售通用券' });
  await page.getByLabel('金额（元）').fill('1000');
  await page.getByLabel('调剂依据（记录在案）').fill('县商务局会议纪要第3号');
  await page.getByRole('button', { name: '调剂', exact: true }).click();
  await page.getByTestId('reallocations').getByText(/加油券 → 零售通用券 · 1000 元 · 县商务局会议纪要第3号/).waitFor();
  // A version of the campaign, in its history with the reason.
  await page.getByTestId('history').getByText(/第 \d+ 版：预算调剂：加油券 → 零售通用券，1000 元 · 县商务局 操作员 · 原因：县商务局会议纪要第3号/).waitFor();
  const retail = page.getByTestId('figures').getByRole('row', { name: /零售通用券/ });
  await retail.getByRole('cell').first().filter({ hasText: '4001000 元' }).waitFor();
  await page.getByRole('link', { name: '商户', exact: true }).click();
  // Each section has its own address.
  assert.match(page.url(), /\/operator\/merchants$/);
  const reason = page.getByLabel('暂停核销或列入黑名单的原因（记录在案）');
  const row = page.getByTestId('merchants').getByRole('row', { name: /沁河人家饭店/ });
  // Suspended for now, with its reason, then resumed.
  await reason.fill('门店装修，暂停一周');
  await page.getByRole('button', { name: '暂停核销 沁河人家饭店' }).click();
  await row.getByText('暂停核销：门店装修，暂停一周').waitFor();
  await page.getByRole('button', { name: '恢复核销 沁河人家饭店' }).click();
  await row.getByText('正常').waitFor();
  // Blacklisted with its reason, and lifted.
  await reason.fill('刷空单');
  await page.getByRole('button', { name: '列入黑名单 沁河人家饭店' }).click();
  await row.getByText('黑名单：刷空单').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'merchants');
  await screenshot(page, 'console-merchants-blacklisted');
  await page.getByRole('button', { name: '移出黑名单 沁河人家饭店' }).click();
  await row.getByText('正常').waitFor();

  await page.getByRole('link', { name: '爱心券名单', exact: true }).click();
  assert.match(page.url(), /\/operator\/love-list$/);
  // Back returns to the merchants; a reload opens the section its address names.
  await page.goBack();
  await page.getByTestId('merchants').waitFor();
  await page.goForward();
  await page.reload();
  await page.getByLabel(/名单（CSV/).fill('11010519491231002X,王秀英\n123,不是身份证号\n');
  await page.getByRole('button', { name: '导入并发放' }).click();
  const outcome = page.getByTestId('allocation');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /新发放 0 · 已在名单 1/);
  assert.match(await outcome.innerText(), /第 2/);
  assert.deepEqual(await axeViolations(page), [], 'love list');
  assert.deepEqual(problems, []);
  await context.close();
});

test('love-coupon cards are printed, redeemed at the till with the PIN, and a lost one replaced', async () => {
  const { context, page, problems } = await consoleSignedIn('operator');
  await page.getByRole('link', { name: '爱心卡', exact: true }).click();
  await page.getByRole('button', { name: '为名单制卡' }).click();
  const printed = page.getByTestId('printed-cards');
  await printed.waitFor();
  const first = printed.locator('article').first();
  const number = (await first.locator('.code-digits').innerText()).replace(/\s/g, '');
  const pin = (await first.getByTestId('card-pin').innerText()).replace(/\D/g, '');
  assert.match(number, /^\d{16}$/);
  assert.match(pin, /^\d{6}$/);
  assert.match(await first.innerText(), /券 10 · 1000 元/);
  await screenshot(page, 'love-cards');
  assert.deepEqual(await axeViolations(page), [], 'love cards');

  const tablet = await tillSignedIn(browser, server.url);
  await tablet.page.getByLabel('券码（20位数字）').fill(number);
  await tablet.page.getByRole('button', { name: '查询' }).click();
  await tablet.page.getByLabel('请持卡人输入密码').fill(pin);
  await tablet.page.getByRole('button', { name: '查询' }).click();
  await tablet.page.getByRole('heading', { name: /爱心消费券 · 无门槛减100/ }).waitFor();
  assert.match(await tablet.page.getByTestId('card-left').innerText(), /剩余 10 1000 元/);
  await typeAmount(tablet.page, '150');
  await tablet.page.getByRole('button', { name: '确认核销' }).click();
  await tablet.page.getByRole('heading', { name: '核销成功' }).waitFor();
  await tablet.context.close();

  // Lost: replaced with the nine left.
  await page.getByRole('button', { name: `挂失补办 ${number}` }).click();
  await printed.locator('article').first().getByText('券 9 · 900 元').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a till\'s account cannot open the console, and is told so', async () => {
  const { context, page } = await consoleSignedIn('retail');
  await page.getByRole('alert').filter({ hasText: '此账号是商户账号，不能打开后台' }).waitFor();
  await page.getByRole('button', { name: '退出' }).first().click();
  await page.getByLabel('账号').waitFor();
  await context.close();
});

test('the operator pauses retail claims, the resident is told why, and claims again once resumed', async () => {
  const { context, page, problems } = await consoleSignedIn('operator');
  await page.getByLabel('暂停什么').selectOption({ label: '领取：零售通用券' });
  await page.getByLabel(/原因（居民和收银台可见/).fill('系统升级，稍后恢复');
  await page.getByRole('button', { name: '暂停', exact: true }).click();
  const list = page.getByTestId('pauses');
  await list.getByText(/领取：零售通用券 · 系统升级，稍后恢复/).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'pauses');
  await screenshot(page, 'console-pause');

  const phone = await phonePage(browser);
  await phone.page.goto(`${server.url}/sign-in`);
  await phone.page.getByLabel('手机号').fill('13600000077');
  await phone.page.getByRole('button', { name: '登录' }).click();
  await phone.page.getByTestId('paused').filter({ hasText: '暂停领取：系统升级，稍后恢复' }).waitFor();
  const retail = phone.page.getByRole('button', { name: '暂停领取 满50减10' });
  assert.equal(await retail.isDisabled(), true);
  // Other kinds are claimed as before.
  assert.equal(await phone.page.getByRole('button', { name: '领取 满100减20' }).isDisabled(), false);
  await screenshot(phone.page, 'resident-claims-paused');

  await list.getByRole('button', { name: '恢复 领取：零售通用券' }).click();
  await list.getByText(/已恢复/).waitFor();
  // Both in the campaign's history, newest first.
  const history = page.getByTestId('history').getByRole('listitem');
  await history.first().filter({ hasText: /恢复 · 领取：零售通用券 · .* · 原因：系统升级，稍后恢复/ }).waitFor();
  await history.nth(1).filter({ hasText: /暂停 · 领取：零售通用券/ }).waitFor();
  await phone.page.reload();
  await phone.page.getByRole('button', { name: '领取 满50减10' }).first().click();
  await phone.page.getByText('领取成功').first().waitFor();
  assert.equal(await phone.page.getByTestId('paused').count(), 0);
  assert.deepEqual(phone.problems, []);
  assert.deepEqual(problems, []);
  await phone.context.close();
  await context.close();
});

test('the operator schedules round 2 from its preview, then uploads a revised file, reads its changes and confirms', async () => {
  const { context, page, problems } = await consoleSignedIn('operator');
  const form = page.getByTestId('round-form');
  await page.getByTestId('rounds').getByText('第 2 轮「第二轮」· 时间待定').waitFor();
  // Round 2 has no dates yet: it is the one the form offers first, with the plan's quotas.
  assert.match(await page.getByLabel('轮次').locator('option:checked').innerText(), /第 2 轮「第二轮」· 时间待定/);
  assert.equal(await page.getByLabel('零售通用券 额度（元）').inputValue(), '2000000');
  await page.getByLabel('开始日期').fill('2026-03-16');
  await page.getByLabel('结束日期').fill('2026-03-22');
  await page.getByLabel('安排依据（记录在案）').fill('第二轮发放时间确定');
  await form.getByRole('button', { name: '预览' }).click();
  const preview = page.getByTestId('revision-preview');
  await preview.getByText('第 2 轮时间：时间待定 → 2026-03-16 – 2026-03-22').waitFor();
  // Seven days: the first offers a seventh of each quota.
  await page.getByTestId('release-preview').getByText('第 2 轮 零售通用券：2026-03-16 起共 7 天，首日投放 285714.29 元').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'round preview');
  await screenshot(page, 'console-round-preview');
  await preview.getByRole('button', { name: '确认发布' }).click();
  // A version after whatever the campaign has run so far (a reallocation, say).
  await page.getByTestId('revision-made').getByText(/已发布版本 \d+/).waitFor();
  const scheduled = Number((await page.getByTestId('revision-made').innerText()).match(/已发布版本 (\d+)/)[1]);
  await page.getByTestId('rounds').getByText('第 2 轮「第二轮」· 2026-03-16 – 2026-03-22').waitFor();

  // A revised file: the version that runs, downloaded (round 2 as scheduled, and whatever was
  // reallocated before), with retail cut by 500,000 yuan from round 2's quota.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载当前版本（.toml）' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `qinshui-2022-r2-v${scheduled}.toml`);
  let file = readFileSync(await download.path(), 'utf8');
  assert.match(file, /\nstarts = "2026-03-16"\nends = "2026-03-22"\n/);
  const retailBudget = Number(file.match(/id = "retail"[\s\S]*?\nbudget = (\d+)/)[1]);
  const cut = (text, re) => text.replace(re, (_, before, n) => `${before}${Number(n) - 500000}`);
  file = cut(file, /^(budget = )(\d+)$/m);
  file = cut(file, /(id = "retail"[\s\S]*?\nbudget = )(\d+)/);
  file = cut(file, /(number = 2\n[\s\S]*?\[rounds\.quota\][\s\S]*?\nretail = )(\d+)/);
  await page.getByLabel('活动文件（.toml）').setInputFiles({ name: 'qinshui.toml', mimeType: 'text/plain', buffer: Buffer.from(file) });
  await page.getByLabel('修订依据（记录在案）').fill('零售核销率低，调减');
  await page.locator('form.filters').getByRole('button', { name: '预览' }).click();
  await preview.getByText(`预览版本 ${scheduled + 1}（尚未写入）`).waitFor();
  assert.deepEqual(await preview.locator('ul').first().locator('li').allInnerTexts(), [
    '总预算：12700000 元 → 12200000 元',
    '第 2 轮 零售通用券 额度：2000000 元 → 1500000 元',
    `零售通用券 预算：${retailBudget} 元 → ${retailBudget - 500000} 元`,
  ]);
  // Round 2's retail now releases a seventh of 1,500,000 yuan a day.
  await page.getByTestId('release-preview').getByText('第 2 轮 零售通用券：2026-03-16 起共 7 天，首日投放 214285.72 元').waitFor();
  await screenshot(page, 'console-revision-preview');
  await preview.getByRole('button', { name: '确认发布' }).click();
  await page.getByTestId('revision-made').getByText(`已发布版本 ${scheduled + 1}`).waitFor();
  const versions = page.getByTestId('versions');
  await versions.getByText(new RegExp(`版本 ${scheduled + 1} · .* · 零售核销率低，调减`)).waitFor();
  await versions.getByText(/版本 1 · .* · 活动文件 · 初始版本/).waitFor();
  // Round 2's form now starts from the revised quota.
  assert.equal(await page.getByLabel('零售通用券 额度（元）').inputValue(), '1500000');
  await screenshot(page, 'console-versions');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the operator turns the overload switch on: the resident is asked to try again shortly, with a countdown', async () => {
  const { context, page, problems } = await consoleSignedIn('operator');
  await page.getByTestId('busy-state').getByText('未开启').waitFor();
  await page.getByLabel('等待秒数（5–600）').fill('45');
  await page.getByRole('button', { name: '开启繁忙模式' }).click();
  await page.getByTestId('busy-state').getByText(/已开启：请居民 45 秒后再试/).waitFor();

  const phone = await phonePage(browser);
  await phone.page.goto(`${server.url}/sign-in`);
  await phone.page.getByLabel('手机号').fill('13600000078');
  await phone.page.getByRole('button', { name: '登录' }).click();
  const notice = phone.page.getByTestId('busy').first();
  await notice.getByText(/请稍后再试/).waitFor();
  assert.match(await notice.getByRole('timer').innerText(), /还需等待 00:00:4\d/);
  assert.equal(await phone.page.getByRole('button', { name: '请稍后再试 满50减10' }).first().isDisabled(), true);
  await screenshot(phone.page, 'resident-busy');

  await page.getByRole('button', { name: '关闭繁忙模式' }).click();
  await page.getByTestId('busy-state').getByText('未开启').waitFor();
  await phone.page.reload();
  await phone.page.getByRole('button', { name: '领取 满100减20' }).first().click();
  await phone.page.getByText('领取成功').first().waitFor();
  assert.equal(await phone.page.getByTestId('busy').count(), 0);
  assert.deepEqual(phone.problems, []);
  assert.deepEqual(problems, []);
  await phone.context.close();
  await context.close();
});
