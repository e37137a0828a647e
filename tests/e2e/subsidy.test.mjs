// A car-purchase subsidy from application to approval, in real Chromium against the real server:
// the resident fills in the form (the subsidy shown before submitting, an invoice date outside
// the campaign refused), uploads four documents and submits; the bank's reviewer opens the queue,
// views a document, approves; the resident sees it approved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage, screenshot, axeViolations } from './helpers.mjs';

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

// The smallest files that are what they say: a PNG and a PDF.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

test('a resident applies with documents, the reviewer approves, the resident sees it', async () => {
  const { context, page, problems } = await phonePage(browser, { bypassCSP: true });
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('手机号').fill('13500000001');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '申请购车补贴' }).first().click();
  await page.getByLabel('发票金额（元）').fill('150000');
  await page.getByLabel('开票日期').fill('2026-05-01');
  await page.getByRole('alert').filter({ hasText: '不在活动期内' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '提交申请' }).isDisabled(), true);
  await page.getByLabel('开票日期').fill('2026-03-05');
  await page.getByLabel('新能源车').check();
  assert.match(await page.getByTestId('expected').innerText(), /预计补贴 9000 元/);
  await page.getByLabel('本人银行卡号').fill('6222 0212 3456 7890');
  await page.getByLabel('手机号').fill('13500000001');
  for (const [label, file] of [['身份证', PNG], ['银行卡', PNG], ['机动车销售发票', PDF], ['行驶证', PNG]]) {
    const isPdf = file === PDF;
    await page.getByLabel(label, { exact: true }).setInputFiles({
      name: isPdf ? 'invoice.pdf' : 'photo.png', mimeType: isPdf ? 'application/pdf' : 'image/png', buffer: file,
    });
  }
  await screenshot(page, 'apply');
  assert.deepEqual(await axeViolations(page), [], 'apply');
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByTestId('application-status').filter({ hasText: '已提交，排队待审' }).waitFor();

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
  const review = await desk.newPage();
  await review.goto(`${server.url}/operator/`);
  await review.getByLabel('账号').fill('reviewer');
  await review.getByLabel('密码').fill('demo1234');
  await review.getByRole('button', { name: '登录' }).click();
  const row = review.getByTestId('queue').getByRole('row', { name: /135\*\*\*\*0001/ });
  await row.getByRole('button', { name: /查看/ }).click();
  await review.getByRole('button', { name: '查看 身份证' }).click();
  await review.getByRole('img', { name: '身份证' }).waitFor();
  assert.equal(await review.getByTestId('review-status').innerText(), '待受理');
  // Masked until the reviewer who approved it asks, on the record, for the full numbers to pay.
  assert.equal(await review.getByTestId('bank-card').innerText(), '6222 **** **** 7890');
  await review.getByRole('button', { name: '批准' }).click();
  await review.getByTestId('review-status').filter({ hasText: '已批准' }).waitFor();
  await review.getByRole('button', { name: '显示完整卡号（留痕）' }).click();
  await review.getByTestId('bank-card').filter({ hasText: '6222021234567890' }).waitFor();
  assert.equal(await review.getByTestId('mobile').innerText(), '13500000001');
  await screenshot(review, 'review');
  assert.deepEqual(await axeViolations(review), [], 'review');
  await desk.close();

  await page.reload();
  await page.getByTestId('application-status').filter({ hasText: '已批准，待发放' }).waitFor();
  assert.match(await page.getByTestId('applications').innerText(), /补贴 9000 元/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a rejected application shows the applicant the reviewer\'s reason', async () => {
  const { context, page, problems } = await phonePage(browser);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('手机号').fill('13500000002');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '申请购车补贴' }).first().click();
  await page.getByLabel('发票金额（元）').fill('60000');
  await page.getByLabel('开票日期').fill('2026-03-06');
  await page.getByLabel('燃油车').check();
  assert.match(await page.getByTestId('expected').innerText(), /预计补贴 3000 元/, '5% is 3,000: the floor');
  await page.getByLabel('本人银行卡号').fill('6222021234567891');
  await page.getByLabel('手机号').fill('13500000002');
  for (const [label, name] of [['身份证', 'a.png'], ['银行卡', 'b.png'], ['机动车销售发票', 'c.png'], ['行驶证', 'd.png']]) {
    await page.getByLabel(label, { exact: true }).setInputFiles({ name, mimeType: 'image/png', buffer: PNG });
  }
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByTestId('application-status').filter({ hasText: '已提交，排队待审' }).waitFor();

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const review = await desk.newPage();
  await review.goto(`${server.url}/operator/`);
  await review.getByLabel('账号').fill('reviewer');
  await review.getByLabel('密码').fill('demo1234');
  await review.getByRole('button', { name: '登录' }).click();
  await review.getByTestId('queue').getByRole('row', { name: /135\*\*\*\*0002/ }).getByRole('button', { name: /查看/ }).click();
  await review.getByRole('button', { name: '受理' }).click();
  await review.getByTestId('review-status').filter({ hasText: '审核中' }).waitFor();
  await review.getByLabel('驳回原因（申请人可见）').fill('行驶证照片不清晰，请重新申请');
  await review.getByRole('button', { name: '驳回' }).click();
  await review.getByTestId('review-status').filter({ hasText: '已驳回' }).waitFor();
  await desk.close();

  await page.reload();
  await page.getByTestId('application-status').filter({ hasText: '未通过' }).waitFor();
  assert.match(await page.getByTestId('applications').innerText(), /原因：行驶证照片不清晰，请重新申请/);
  assert.deepEqual(problems, []);
  await context.close();
});
