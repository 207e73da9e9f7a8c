// End-to-end: forms and buttons while someone else acts at the same moment, against the real
// server.
//
// - The officer is recording health's acceptance of a handover when the clinician accepts it
//   through the partner portal: the live update must not change the stage under the officer's
//   finger (it used to reset to "Officers left", and the tap recorded the officers leaving), and
//   the server's refusal (409, already accepted) is shown in the step.
// - A time the form cannot read ("3:3O") is said next to the field and nothing is sent (it used
//   to be left out, and the server started the clock at the moment of sending).
// - The transport and the outcome start on "Choose…"; ending the detention asks first, naming
//   the outcome.
// - A racing action refused with 409 is shown even when the live update took its control away:
//   the clinician's acceptance after the officers recorded it, a dispatch of a unit another
//   controller dispatched first.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, s136AtMaudsley, screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-live-forms', roles: ['controller', 'supervisor', 'officer', 'clinician'] });
const must = env.must;

/** An s136 on a new incident (received 30 minutes ago, decided 20), at the Maudsley (harness.mjs). */
const detentionAtMaudsley = (description) => s136AtMaudsley(must, description, { receivedMinutesAgo: 30, decidedMinutesAgo: 20 });

/** Counts the POSTs the page sends to a path ending in `suffix`. */
function countPosts(page, suffix) {
  const seen = { n: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith(suffix)) seen.n += 1;
  });
  return seen;
}

/** "HH:MM" in London, `minutesAgo` before now. */
const londonClock = (minutesAgo) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now() - minutesAgo * 60_000);

describe('detention forms while the record changes', { skip: usingMock && 'the stand-in server has no detentions' }, () => {
  test('health accepts while the officer is recording the acceptance: the choice is kept and the refusal shown', async () => {
    const { det, base } = await detentionAtMaudsley('Man on the parapet');
    await must('officer', 'POST', `${base}/arrival`, {});
    await must('officer', 'POST', `${base}/handover`, { stage: 'requested', to: 'HBPoS nurse in charge' });

    const page = await signIn(env.browser.context, env.server.url, 'officer', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    await page.goto(`${env.server.url}/#/detentions/${det.id}`);
    const form = page.getByTestId('form-handover');
    await form.waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    await form.getByLabel('Stage').selectOption('accepted');
    await form.getByLabel('Accepted by (health professional)').fill('RMN Okafor');

    // At that moment the clinician accepts the handover through the partner portal.
    await must('clinician', 'POST', `${base}/handover-acceptance`, { by: 'Charge nurse Bello' });
    await page.getByTestId('step-handover').filter({ hasText: /accepted by Charge nurse Bello at \d\d:\d\d/ }).waitFor();
    assert.equal(await form.getByLabel('Stage').inputValue(), 'accepted', 'the stage the officer chose is kept');
    assert.equal(await form.getByLabel('Accepted by (health professional)').inputValue(), 'RMN Okafor', 'and the name typed');
    assert.match(await form.getByTestId('moved').innerText(), /The record changed while this form was open; it would now suggest Stage: Officers left/);
    await screenshot(page, 'live-forms-390-handover-moved', { fullPage: true });

    await form.getByRole('button', { name: 'Record the handover stage' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /^Not recorded: the handover was already accepted/);
    const onServer = await must('officer', 'GET', base);
    assert.equal(onServer.handover.officers_left_at, null, 'no false record that the officers left');
    assert.equal(onServer.handover.accepted_by, 'Charge nurse Bello');
    await screenshot(page, 'live-forms-390-handover-refused', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    // The officer takes the record as it now is: the next stage is the officers leaving.
    await form.getByRole('button', { name: 'Start again from the record as it is now' }).click();
    assert.equal(await form.getByLabel('Stage').inputValue(), 'officers_left');
    assert.equal(await form.getByTestId('refusal').count(), 0);
    await page.close();
  });

  test('a time the form cannot read is said next to the field and nothing is sent; the transport must be chosen', async () => {
    const { det, base } = await detentionAtMaudsley('Woman on the embankment wall');
    const page = await signIn(env.browser.context, env.server.url, 'officer', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    const conveyances = countPosts(page, '/conveyance');
    const arrivals = countPosts(page, '/arrival');
    await page.goto(`${env.server.url}/#/detentions/${det.id}`);

    // Conveyance: "Choose…", not "Ambulance".
    const conv = page.getByTestId('form-conveyance');
    await conv.waitFor();
    assert.equal(await conv.getByLabel('Transport').inputValue(), '');
    assert.equal(await conv.getByLabel('Transport').locator('option').first().innerText(), 'Choose…');
    await conv.getByRole('button', { name: 'Record the conveyance' }).click();
    assert.equal(await conv.getByTestId('refusal').innerText(), 'Not sent: Transport: choose one');
    assert.equal(await conv.getByLabel('Transport').getAttribute('aria-invalid'), 'true');
    assert.equal(conveyances.n, 0, 'nothing sent');
    await conv.getByLabel('Transport').selectOption('ambulance');
    await conv.getByRole('button', { name: 'Record the conveyance' }).click();
    await page.locator('[data-testid="step-conveyance"][data-state="done"]').waitFor();

    // Arrival at "3:3O" (a letter O): said, marked, not sent; the clock does not start.
    const arrival = page.getByTestId('form-arrival');
    const at = arrival.getByLabel('Arrived at (HH:MM, blank for now)');
    await at.fill('3:3O');
    await arrival.getByRole('button', { name: 'Record the arrival' }).click();
    const problem = arrival.getByTestId('field-problem');
    assert.equal(await problem.innerText(), 'Arrival time: “3:3O” is not a time; write it as HH:MM, e.g. 03:30');
    assert.match(await arrival.getByTestId('refusal').innerText(), /^Not sent: Arrival time: “3:3O” is not a time/);
    assert.equal(await at.getAttribute('aria-invalid'), 'true');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true'); // focus goes to the field
    await screenshot(page, 'live-forms-390-arrival-unreadable', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(arrivals.n, 0, 'nothing sent');
    assert.equal((await must('officer', 'GET', base)).clock.started_at, null, 'the clock has not started');

    // Written properly, the clock starts at the time written, not at the moment of sending.
    const typed = londonClock(7);
    await at.fill(typed);
    await arrival.getByRole('button', { name: 'Record the arrival' }).click();
    await page.locator('[data-testid="step-arrival"][data-state="done"]').waitFor();
    const started = (await must('officer', 'GET', base)).clock.started_at;
    assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(started)), typed);
    await page.close();
  });

  test('the outcome starts on "Choose…" and ending the detention asks first, naming the outcome', async () => {
    const { det, base } = await detentionAtMaudsley('Man in the river path');
    await must('officer', 'POST', `${base}/arrival`, {});
    await must('officer', 'POST', `${base}/handover`, { stage: 'requested', to: 'HBPoS nurse in charge' });
    await must('officer', 'POST', `${base}/handover`, { stage: 'accepted', by: 'Charge nurse Bello' });
    await must('officer', 'POST', `${base}/handover`, { stage: 'officers_left' });

    const page = await signIn(env.browser.context, env.server.url, 'officer', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    const outcomes = countPosts(page, '/outcome');
    await page.goto(`${env.server.url}/#/detentions/${det.id}`);
    const outcome = page.getByTestId('form-outcome');
    await outcome.waitFor();
    const select = outcome.getByLabel('Outcome of the assessment');
    assert.equal(await select.inputValue(), '', 'nothing preselected');
    await outcome.getByRole('button', { name: 'Record the outcome and end the detention' }).click();
    assert.equal(await outcome.getByTestId('refusal').innerText(), 'Not sent: Outcome of the assessment: choose one');

    await select.selectOption('admitted_informally');
    await outcome.getByRole('button', { name: 'Record the outcome and end the detention' }).click();
    const confirm = outcome.getByTestId('confirm');
    assert.equal(
      await confirm.locator('p').innerText(),
      'End the detention with the outcome “Admitted informally”? The outcome cannot be corrected afterwards.',
    );
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'confirm');
    await screenshot(page, 'live-forms-390-outcome-confirm', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(outcomes.n, 0, 'nothing sent before the confirmation');
    await confirm.getByRole('button', { name: 'Go back' }).click();
    assert.equal(await confirm.count(), 0);
    assert.equal((await must('officer', 'GET', base)).status, 'at_place_of_safety');

    await select.selectOption('detained_s3');
    await outcome.getByRole('button', { name: 'Record the outcome and end the detention' }).click();
    assert.match(await confirm.innerText(), /“Detained under s3”/);
    await confirm.getByRole('button', { name: 'Yes, end the detention' }).click();
    await page.locator('[data-testid="detention-page"][data-status="ended"]').waitFor();
    assert.equal(outcomes.n, 1);
    assert.equal((await must('officer', 'GET', base)).outcome.outcome, 'detained_s3');
    await page.close();
  });
});

describe('racing actions refused with 409 are shown', { skip: usingMock && 'the stand-in server has no detentions' }, () => {
  test('the clinician accepts a handover the officers have just recorded as accepted', async () => {
    const { inc, det, base } = await detentionAtMaudsley('Man on the parapet, second call');
    await must('officer', 'POST', `${base}/arrival`, {});
    await must('officer', 'POST', `${base}/handover`, { stage: 'requested', to: 'HBPoS nurse in charge' });

    const page = await signIn(env.browser.context, env.server.url, 'clinician');
    await page.goto(`${env.server.url}/#/partner/incidents/${encodeURIComponent(inc.id)}`);
    const item = page.locator(`[data-testid="shared-detention"][data-detention="${det.id}"]`);
    const form = item.getByRole('form', { name: `Accept the handover of ${det.id}` });
    await form.waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    // The officers record the acceptance while the clinician's request is on its way; the live
    // update reaches the portal before the server answers the clinician.
    await page.route('**/handover-acceptance', async (route) => {
      await must('officer', 'POST', `${base}/handover`, { stage: 'accepted', by: 'Charge nurse Bello' });
      await item.filter({ hasText: /handover requested \d\d:\d\d, accepted \d\d:\d\d/ }).waitFor();
      await route.continue();
    });
    await form.getByLabel('Accepted by').fill('RMN Okafor');
    await form.getByRole('button', { name: 'Accept the handover' }).click();
    const refused = item.getByTestId('accept-refused');
    assert.equal(await refused.locator('p').innerText(), 'Your acceptance was not recorded: The handover was already accepted');
    assert.equal(await item.getByRole('form').count(), 0, 'nothing left to accept');
    await screenshot(page, 'live-forms-partner-acceptance-refused', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await refused.count(), 0);
    assert.equal((await must('officer', 'GET', base)).handover.accepted_by, 'Charge nurse Bello');
    await page.close();
  });

  test('a controller dispatches a unit another controller has just dispatched', async () => {
    const inc = await must(
      'controller',
      'POST',
      '/api/incidents',
      {
        channel: '999',
        location: { lat: 51.4613, lon: -0.1156, address: 'Brixton Road, SW9', type: 'public_place' },
        type: 'concern_for_welfare',
        grade: 'S',
        flags: ['mental_health'],
        description: 'Man shouting at traffic',
      },
      201,
    );
    const page = await signIn(env.browser.context, env.server.url, 'controller');
    await page.goto(`${env.server.url}/#/incidents/${inc.id}`);
    const first = page.getByTestId('recommendation').first();
    await first.waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).first().waitFor();
    const unitId = await first.getAttribute('data-unit');
    const callSign = await first.locator('.call-sign').innerText();
    await page.route(`**/api/incidents/${inc.id}/assignments`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      // The supervisor dispatches the same unit first; the live update takes it off this list.
      await must('supervisor', 'POST', `/api/incidents/${inc.id}/assignments`, { unit_id: unitId, mode: 'dispatched' }, 201);
      await page.locator(`[data-testid="recommendation"][data-unit="${unitId}"]`).waitFor({ state: 'detached' });
      await route.continue();
    });
    await first.getByRole('button', { name: `Dispatch ${callSign}` }).click();
    const detached = page.getByTestId('recommendations').getByTestId('detached-errors');
    assert.match(await detached.innerText(), new RegExp(`^Dispatch ${callSign}: not done\\. ${callSign} is already assigned to ${inc.reference.replace(/\//g, '\\/')}`));
    assert.equal(await detached.getByRole('alert').count(), 1);
    await screenshot(page, 'live-forms-dispatch-refused', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await detached.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await page.getByTestId('detached-errors').count(), 0);
    await page.close();
  });
});
