// End-to-end harness: starts the real Concordat server on a free port with a
// fresh data folder and the built web app, waits for /api/health, and drives
// Debian's Chromium through playwright-core (no browser download).
//
// Environment:
//   CONCORDAT_BIN       server binary (default: <repo>/build/dev/concordat)
//   CONCORDAT_E2E_MOCK  "1" runs against e2e/mock/server.mjs instead (UI work
//                       before the server exists; not a substitute for the real run)
//   CHROMIUM_PATH       browser (default /usr/bin/chromium)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = fileURLToPath(new URL('../dist', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('./screenshots', import.meta.url));
export const usingMock = process.env.CONCORDAT_E2E_MOCK === '1';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const defaultBin = join(repoRoot, 'build/dev/concordat');

export const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(url, proc, logTail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(
        `concordat exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was healthy.\n` +
          `Last output:\n${logTail()}`,
      );
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        const health = await res.json();
        if (health.status === 'ok') return health;
        last = JSON.stringify(health);
      } else {
        last = `HTTP ${res.status}`;
      }
    } catch (e) {
      last = e.cause?.code ?? String(e);
    }
    await sleep(200);
  }
  throw new Error(`concordat was not healthy at ${url}/api/health after ${timeoutMs} ms (${last}).\n${logTail()}`);
}

/**
 * Starts the server (or the mock) and returns {url, health, stop()}. `extraArgs`
 * follow the standard `serve` arguments; `name` names the log file.
 */
export async function startConcordat({ timeoutMs = 30_000, extraArgs = [], name = 'server' } = {}) {
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error(`No built web app in ${webDir}: run \`npm run build\` first (\`npm run e2e\` does).`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  if (usingMock) {
    const { startMockServer } = await import('./mock/server.mjs');
    const mock = await startMockServer({ webDir });
    return { url: mock.url, health: { status: 'ok', version: 'mock' }, stop: mock.close, mock: true };
  }
  const bin = process.env.CONCORDAT_BIN || defaultBin;
  if (!existsSync(bin)) {
    throw new Error(
      `Concordat server binary not found at ${bin}.\n` +
        'Build it first (cmake --preset dev && cmake --build build/dev) or set CONCORDAT_BIN to its path.',
    );
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'concordat-e2e-data-'));
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir, '--demo', '--web', webDir, ...extraArgs];
  const logFile = createWriteStream(join(screenshotDir, `${name}.log`));
  logFile.write(`$ ${bin} ${args.join(' ')}\n`);
  const tail = [];
  const proc = spawn(bin, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('data', (chunk) => {
      logFile.write(chunk);
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      if (tail.length > 40) tail.splice(0, tail.length - 40);
    });
  }
  const spawnError = new Promise((_, reject) => proc.on('error', reject));
  const url = `http://127.0.0.1:${port}`;
  const health = await Promise.race([waitForHealth(url, proc, () => tail.join('\n'), timeoutMs), spawnError]);

  async function stop() {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) {
        proc.kill('SIGKILL');
        await exited;
      }
    }
    logFile.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { url, health, stop, mock: false, dataDir };
}

/** A headless Chromium with a fresh profile; close() removes the profile. */
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'concordat-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: kChromiumArgs,
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export const kDemoPassword = 'concordat-demo';

/**
 * Opens the app in a new tab and signs in; resolves once the header shows the
 * user. `prepare(page)` runs before the app loads (e.g. to route its WebSocket).
 */
export async function signIn(context, baseUrl, username, { password = kDemoPassword, prepare } = {}) {
  const page = await context.newPage();
  if (prepare) await prepare(page);
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-role').waitFor();
  return page;
}

/** Signs in over the API (not the browser) and returns the token. */
export async function apiToken(baseUrl, username, password = kDemoPassword) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username} failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/**
 * Sends `method path` as `token`'s user (with a fresh Idempotency-Key on a change) and asserts the
 * status; resolves to the parsed reply (null when empty). For setting up what a test then looks
 * at in the browser.
 */
export async function must(baseUrl, token, method, path, body, status = 200) {
  const headers = { Authorization: `Bearer ${token}` };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = randomUUID();
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${path}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * The set-up most suites share: before their tests, a server (`startConcordat` with `name` and
 * `extraArgs`), a browser, and an API token for each of `roles`; after them, both stopped.
 * Returns `{ server, browser, tokens, must }`, filled in by `before`; `must(role, method, path,
 * body, status)` calls the API as that role's demo user.
 */
export function suiteEnvironment({ name, roles = [], extraArgs = [] }) {
  const env = { server: null, browser: null, tokens: {} };
  env.must = (role, method, path, body, status = 200) => must(env.server.url, env.tokens[role], method, path, body, status);
  before(async () => {
    env.server = await startConcordat({ name, extraArgs });
    env.browser = await launchBrowser();
    for (const role of roles) env.tokens[role] = await apiToken(env.server.url, role);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function screenshot(page, name, options = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), ...options });
}

const axePath = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

/** WCAG 2.1 A/AA violations axe-core finds on the page, as readable lines. */
export async function accessibilityProblems(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(', ')}`);
}

/**
 * A person detained under s136 on Westminster Bridge, on a new incident, and taken to the Maudsley
 * health-based place of safety: the controller creates the incident, the officer the detention
 * (grounds and a consultation) and its place. `must(role, method, path, body, status)` is a
 * suiteEnvironment's. With `receivedMinutesAgo` / `decidedMinutesAgo` the call and the decision
 * are dated that long ago. Resolves to { inc, det, base } (base: the detention's API path).
 */
export async function s136AtMaudsley(must, description, { receivedMinutesAgo, decidedMinutesAgo } = {}) {
  const ago = (minutes) => new Date(Date.now() - minutes * 60_000).toISOString();
  const inc = await must(
    'controller',
    'POST',
    '/api/incidents',
    {
      channel: '999',
      location: { lat: 51.5007, lon: -0.1219, address: 'Westminster Bridge', type: 'public_place' },
      type: 'concern_for_welfare',
      grade: 'I',
      flags: ['mental_health'],
      description,
      ...(receivedMinutesAgo === undefined ? {} : { received_at: ago(receivedMinutesAgo) }),
    },
    201,
  );
  const det = await must(
    'officer',
    'POST',
    `/api/incidents/${inc.id}/detentions`,
    {
      power: 's136',
      location_type: 'public_place',
      grounds: { mental_disorder: 'psychotic', care_or_control: 'on the parapet', necessity: 'risk of drowning' },
      person: { age: 29 },
      ...(decidedMinutesAgo === undefined ? {} : { decided_at: ago(decidedMinutesAgo) }),
      consultation: { name: 'Nurse Adebayo', role: 'registered_nurse', advice: 'agrees' },
    },
    201,
  );
  const base = `/api/detentions/${det.id}`;
  await must('officer', 'POST', `${base}/place-of-safety`, { kind: 'hbpos', site_id: 'pos-maudsley-hospital-denmark-hill' });
  return { inc, det, base };
}
