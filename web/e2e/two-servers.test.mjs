// Two real servers on one PostgreSQL database (README, "Several servers on PostgreSQL"), as a
// force runs them behind a load balancer: a controller whose browser is on one server sees, live
// on the board, an incident a call handler created through the other, with the same reference;
// and a session made on one server is good on the other. PostgreSQL is a throw-away server from
// Debian's package on loopback (scripts/pg_test_server.sh), started and removed by this suite.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { apiToken, freePort, launchBrowser, must, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

const script = fileURLToPath(new URL('../../scripts/pg_test_server.sh', import.meta.url));
let pgDir;
let pgPort;
let url;
let a;
let b;
let browser;

function pg(...args) {
  const run = spawnSync('bash', [script, ...args], { encoding: 'utf8' });
  assert.equal(run.status, 0, `pg_test_server.sh ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

before(async () => {
  if (usingMock) return;
  pgDir = mkdtempSync(join(tmpdir(), 'concordat-e2e-pg-'));
  pgPort = String(await freePort());
  url = pg('start', pgDir, pgPort);
  a = await startConcordat({ name: 'server-pg-a', extraArgs: ['--database', url] });
  b = await startConcordat({ name: 'server-pg-b', extraArgs: ['--database', url] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await a?.stop();
  await b?.stop();
  if (pgDir) {
    pg('stop', pgDir);
    rmSync(pgDir, { recursive: true, force: true });
  }
});

/** A concern-for-welfare incident created through server A by `token`'s call handler. */
function newIncident(token, description) {
  return must(
    a.url,
    token,
    'POST',
    '/api/incidents',
    {
      channel: '999',
      caller: { name: 'Neighbour', phone: '020 7000 0001' },
      location: { lat: 51.4613, lon: -0.1156, address: '1 Acre Lane', type: 'private_dwelling' },
      type: 'concern_for_welfare',
      grade: 'S',
      flags: ['mental_health'],
      description,
    },
    201,
  );
}

describe('two servers, one database', { skip: usingMock && 'needs the real servers' }, () => {
  test("an incident made through one server is on the other's board, live", async () => {
    const page = await signIn(browser.context, b.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const callHandler = await apiToken(a.url, 'call_handler');
    const t0 = Date.now();
    const inc = await newIncident(callHandler, 'Made through server A, watched on server B');
    const item = page.locator(`[data-testid="incident"][data-reference="${inc.reference}"]`);
    await item.waitFor({ timeout: 5000 });
    await item.getByText('Made through server A', { exact: false }).first().waitFor();
    const elapsed = Date.now() - t0;
    await screenshot(page, 'two-servers-board-b');
    assert.ok(elapsed < 3000, `server B's board took ${elapsed} ms to show server A's incident`);

    // The call handler's session, made on A, is good on B; both servers are at one head.
    const me = await must(b.url, callHandler, 'GET', '/api/auth/me');
    assert.equal(me.role, 'call_handler');
    const headA = (await (await fetch(`${a.url}/api/health`)).json()).log_seq;
    const headB = (await (await fetch(`${b.url}/api/health`)).json()).log_seq;
    assert.equal(headA, headB);
    await page.close();
  });

  test('while the database is down every screen says nothing can be recorded, and stops saying so when it is back', async () => {
    const page = await signIn(browser.context, a.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    assert.equal(await page.getByTestId('write-problem').count(), 0);
    pg('stop', pgDir);
    try {
      const banner = page.getByTestId('write-problem');
      await banner.waitFor({ timeout: 30_000 });
      assert.match(await banner.innerText(), /^Nothing can be recorded just now: cannot reach the shared PostgreSQL database/);
      await screenshot(page, 'two-servers-database-down');
      // The same on another screen of the same tab.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'BCUs and boroughs' }).click();
      await banner.waitFor();
    } finally {
      pg('start', pgDir, pgPort);
    }
    await page.getByTestId('write-problem').waitFor({ state: 'detached', timeout: 30_000 });
    // And a change goes through again.
    const callHandler = await apiToken(a.url, 'call_handler');
    const inc = await newIncident(callHandler, 'After the database came back');
    assert.ok(inc.reference);
    await page.close();
  });
});
