// End-to-end tests of the board's liveness against the real server, started
// with --virtual-clock so a test can make events happen: each
// POST /api/admin/clock/advance appends a clock.advanced event, which every
// police role sees on the stream. Outages are made by routing the page's
// WebSocket through Playwright, so the server itself stays up.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

let server;
let browser;
let adminToken;

before(async () => {
  server = await startConcordat({ extraArgs: usingMock ? [] : ['--virtual-clock'], name: 'server-live' });
  browser = await launchBrowser();
  adminToken = await apiToken(server.url, 'admin');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Makes the server append one event every police role may see. */
async function emitEvent() {
  const res = usingMock
    ? await fetch(`${server.url}/__mock/incident`, { method: 'POST' })
    : await fetch(`${server.url}/api/admin/clock/advance`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${adminToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': randomUUID(),
        },
        body: JSON.stringify({ seconds: 60 }),
      });
  assert.equal(res.status, 200, await res.text());
}

const boardSeq = async (page) => Number((await page.getByTestId('board-seq').innerText()).replace(/\D/g, ''));

/**
 * Routes the page's stream through the test. While `down` is set, new
 * connections are closed at once; `cut()` closes the ones open now.
 */
function streamSwitch() {
  const open = new Set();
  const sw = {
    down: false,
    async attach(page) {
      await page.routeWebSocket(/\/api\/stream$/, (ws) => {
        if (sw.down) {
          void ws.close({ code: 1011, reason: 'test outage' });
          return;
        }
        const upstream = ws.connectToServer();
        const entry = { ws, upstream };
        open.add(entry);
        ws.onClose(() => open.delete(entry));
      });
    },
    async cut() {
      sw.down = true;
      for (const { ws, upstream } of [...open]) {
        await upstream.close().catch(() => undefined);
        await ws.close({ code: 1011, reason: 'test outage' }).catch(() => undefined);
      }
      open.clear();
    },
  };
  return sw;
}

describe('live board', () => {
  test('a change appears on the board within a second', async (t) => {
    const page = await signIn(browser.context, server.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const seq0 = await boardSeq(page);
    const t0 = Date.now();
    await emitEvent();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="board-seq"]').textContent.replace(/\D/g, '')) > n,
      seq0,
      { timeout: 3000 },
    );
    const elapsed = Date.now() - t0;
    t.diagnostic(`event to board: ${elapsed} ms`);
    assert.ok(elapsed < 1000, `the board took ${elapsed} ms to change`);
    await page.close();
  });

  test('after an outage it reconnects, says it is offline, and catches up exactly what it missed', async () => {
    const sw = streamSwitch();
    const page = await signIn(browser.context, server.url, 'supervisor', { prepare: (p) => sw.attach(p) });
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const seq0 = await boardSeq(page);

    await sw.cut();
    await page.getByTestId('freshness').filter({ hasText: /^Offline since \d\d:\d\d:\d\d — reconnecting$/ }).waitFor();
    await screenshot(page, 'live-offline');
    await emitEvent();
    await emitEvent();
    sw.down = false;

    await page
      .getByTestId('freshness')
      .filter({ hasText: 'Reconnected — caught up 2 events missed while offline' })
      .waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="board-seq"]').textContent.replace(/\D/g, '')) >= n,
      seq0 + 2,
    );
    await screenshot(page, 'live-reconnected');

    // Live again: the next event arrives once, and the count does not change.
    await emitEvent();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="board-seq"]').textContent.replace(/\D/g, '')) >= n,
      seq0 + 3,
    );
    await page.close();
  });

  test('a session ended elsewhere returns the board to sign-in', async () => {
    const page = await signIn(browser.context, server.url, 'call_handler');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem('concordat.token'));
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
    });
    assert.ok(res.ok, `logout: HTTP ${res.status}`);
    await emitEvent(); // the board refreshes, and the server refuses the ended session
    await page.getByText('Your session has expired — sign in again').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('concordat.token')), null);
    await page.close();
  });
});
