// Shared by the end-to-end tests: the real server, started per test file, and headless Chromium.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'target', 'screenshots');

/** Starts the server on a free port with a fresh database; resolves once it prints the address it bound. */
export function startServer(env = {}) {
  const bin = process.env.QUAN_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'quan-server');
  const data = mkdtempSync(join(tmpdir(), 'quan-e2e-'));
  const child = spawn(bin, [], {
    env: {
      ...process.env,
      QUAN_ADDR: '127.0.0.1:0',
      QUAN_DIST: process.env.QUAN_DIST ?? join(ROOT, 'dist'),
      QUAN_DATABASE_URL: `sqlite:${join(data, 'quan.db')}`,
      QUAN_UPLOADS: join(data, 'uploads'),
      RUST_LOG: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
      }
    });
  });
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A phone-sized page that records console errors and CSP violations. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...options,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  return { context, page, problems };
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Makes the page's clock run `skewMs` fast (adjustable later through `window.__quanSkew`). */
export async function skewClock(page, skewMs) {
  await page.addInitScript((initial) => {
    window.__quanSkew = initial;
    const RealDate = Date;
    const realNow = RealDate.now.bind(RealDate);
    // eslint-disable-next-line no-global-assign
    Date = class extends RealDate {
      constructor(...args) { super(...(args.length ? args : [realNow() + window.__quanSkew])); }
      static now() { return realNow() + window.__quanSkew; }
    };
  }, skewMs);
}

/** Runs axe-core on the page and returns its violations (the page's context must bypass CSP). */
export async function axeViolations(page) {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return result;
}

/** A JSON call to the API from the test itself (playing the merchant's till, say). */
export async function api(base, method, path, token, body, headers = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Decodes the QR code in a PNG screenshot. */
export async function decodeQr(png) {
  const { PNG } = await import('pngjs');
  const jsQR = (await import('jsqr')).default;
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return result?.data ?? null;
}

/**
 * A y4m video (what Chromium's fake camera plays) of a QR symbol, `seconds` long; `modules` is
 * the symbol as the wallet draws it (rows of booleans, quiet zone included).
 */
export async function qrVideo(modules, path, { width = 640, height = 480, module = 10, rotate = 0, fps = 10, seconds = 3 } = {}) {
  const { writeFileSync } = await import('node:fs');
  const size = modules.length;
  const y = Buffer.alloc(width * height, 235);
  // Each pixel samples the symbol four times through the rotation about the frame's centre, so a
  // code of a few pixels a module, tilted, looks as a camera sees it: antialiased.
  const [cx, cy] = [width / 2, height / 2];
  const [cos, sin] = [Math.cos((rotate * Math.PI) / 180), Math.sin((rotate * Math.PI) / 180)];
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let dark = 0;
      for (const [ox, oy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const [dx, dy] = [px + ox - cx, py + oy - cy];
        const c = Math.floor((cos * dx + sin * dy) / module + size / 2);
        const r = Math.floor((-sin * dx + cos * dy) / module + size / 2);
        if (r >= 0 && c >= 0 && r < size && c < size && modules[r][c]) dark++;
      }
      if (dark) y[py * width + px] = 235 - (dark * (235 - 25)) / 4;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array(fps * seconds).fill(frame)]));
}

/**
 * A resident on a phone who signs in, claims `denomination` and shows its code; `code()` reads its
 * digits and `modules()` its QR symbol.
 */
export async function residentShowingCode(browser, base, phone, denomination) {
  const { context, page } = await phonePage(browser);
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: `领取 ${denomination}` }).first().click();
  await page.getByText('领取成功').first().waitFor();
  await page.getByRole('link', { name: '我的券' }).click();
  await page.getByRole('link', { name: '出示付款码' }).first().click();
  await page.getByTestId('code-digits').waitFor();
  const code = async () => (await page.getByTestId('code-digits').innerText()).replace(/\s/g, '');
  // The symbol on the screen, module by module, from the SVG path the wallet draws.
  const modules = async () => {
    const side = Number((await page.locator('.qr svg').getAttribute('viewBox')).split(' ')[3]);
    const grid = Array.from({ length: side }, () => Array(side).fill(false));
    const d = await page.locator('.qr path').getAttribute('d');
    for (const [, x, y, len] of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      for (let i = 0; i < Number(len); i++) grid[Number(y)][Number(x) + i] = true;
    }
    return grid;
  };
  return { context, page, code, modules };
}

/** A merchant's till on a tablet, signed in (the retail shop's unless `username` says). */
export async function tillSignedIn(browser, base, username = 'retail') {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${base}/merchant/`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('券码（20位数字）').waitFor();
  return { context, page, problems };
}

/** Types an amount on the till's keypad. */
export async function typeAmount(page, digits) {
  for (const d of digits) {
    await page.getByRole('group', { name: '订单金额（元）' }).getByRole('button', { name: d, exact: true }).click();
  }
}
