// End-to-end: the board's live detentions on a virtual clock. A handover wait
// past the hour reads in hours and minutes ("2 h 52 min"), not "172 min" —
// after a day and more, "2330 min" was unreadable at a glance.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-board-detentions', roles: ['admin', 'controller'], extraArgs: usingMock ? [] : ['--virtual-clock'] });

const must = env.must;

describe('live detentions on the board', { skip: usingMock && 'the stand-in server has no detentions' }, () => {
  test('a handover wait past the hour reads in hours and minutes', async () => {
    const page = await signIn(env.browser.context, env.server.url, 'controller');
    const pane = page.getByTestId('board-detentions');
    await pane.waitFor();
    // The demo has officers waiting at an emergency department; two hours later they still are.
    // (Not a day later: the sign-in sessions would have expired on the virtual clock too.)
    await must('admin', 'POST', '/api/admin/clock/advance', { seconds: 2 * 3600 });
    const board = await must('controller', 'GET', '/api/board');
    const waiting = board.detentions.filter((d) => d.handover.arrived_at && !d.handover.accepted_at && !d.handover.officers_left_at);
    assert.ok(waiting.length > 0, 'the demo has a handover wait');
    const d = waiting[0];
    const minutes = Math.floor((Date.parse(board.now) - Date.parse(d.handover.arrived_at)) / 60_000);
    assert.ok(minutes >= 120, `${minutes} min`);
    const row = pane.locator(`[data-testid="board-detention"][data-detention="${d.id}"]`);
    const h = Math.floor(minutes / 60);
    await row.filter({ hasText: new RegExp(`handover wait ${h} h \\d\\d min`) }).waitFor();
    assert.doesNotMatch(await pane.innerText(), /handover wait \d{3,} min/);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'board-handover-wait-hours');
  });
});
