// End-to-end: what the officer's own screen tells them, against the real server, on a phone.
// An emergency nearby that their unit was not sent to says plainly that it has enough units.
// When the control room supervisor stands the unit down, "My unit" says from which incident, by
// whom, when and why, and keeps saying it (across screens) until the officer dismisses it;
// it used to flip to "Available" without a word.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-officer-notices', roles: ['controller', 'supervisor'] });
const must = env.must;

describe('the officer is told', { skip: usingMock && 'the stand-in server has no stand-down timeline' }, () => {
  test('an emergency nearby has enough units, and the unit was stood down by the supervisor', async () => {
    const page = await signIn(env.browser.context, env.server.url, 'officer', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    await page.getByRole('heading', { level: 1, name: /AW11/ }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const mine = page.getByTestId('my-assignment').first();
    await mine.waitFor();
    const incidentId = await mine.getAttribute('data-incident');
    const incident = await must('supervisor', 'GET', `/api/incidents/${incidentId}`);

    // AW12's emergency button, 200 m away: the nearest available units are sent; AW11, busy, is not.
    await must('controller', 'POST', '/api/units/unit-AW12/location', { lat: 51.5042, lon: -0.1721 });
    const em = await must('controller', 'POST', '/api/units/unit-AW12/emergency', {}, 201);
    assert.equal(em.resourced, true);
    const item = page.locator(`[data-testid="nearby-incident"][data-incident="${em.id}"]`);
    const note = item.getByTestId('resourced-note');
    assert.match(
      await note.innerText(),
      /^Enough units are going to this emergency \(\d+ of \d+ assigned\)\. You were not sent: stay available unless you are asked\.$/,
    );
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, 'officer-390-emergency-resourced', { fullPage: true });

    // The supervisor stands AW11 down from its incident.
    await must('supervisor', 'POST', `/api/incidents/${incidentId}/stand-down`, { unit_ids: ['unit-AW11'], reason: 'Needed at a grade I in Pimlico' });
    const notice = page.getByTestId('stood-down');
    // Who, by name once the app has looked it up: the supervisor's account is "Demo Inspector (Control Room)".
    const said = `Stood down from ${incident.reference} by the control room supervisor, Demo Inspector (Control Room), at`;
    await notice.filter({ hasText: said }).waitFor();
    assert.match(await notice.locator('p').innerText(), new RegExp(`^${said.replace(/[/()]/g, '\\$&')} \\d\\d:\\d\\d — Needed at a grade I in Pimlico$`));
    await page.getByTestId('my-status').filter({ hasText: 'Available' }).waitFor();
    assert.equal(await page.locator(`[data-testid="my-assignment"][data-incident="${incidentId}"]`).count(), 0);
    await screenshot(page, 'officer-390-stood-down', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    // Still there after another screen, until dismissed; and gone for good then.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'BCUs and boroughs' }).click();
    await page.getByTestId('officer-page').waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My unit' }).click();
    await notice.filter({ hasText: said }).waitFor();
    await notice.getByRole('button', { name: /^Dismiss/ }).click();
    assert.equal(await notice.count(), 0);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /AW11/ }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    assert.equal(await notice.count(), 0, 'a dismissed notice does not come back');
    await page.close();
  });
});
