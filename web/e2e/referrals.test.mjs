// End-to-end: a partner's referral to the police, both sides, against the
// real server on a virtual clock. An AMHP asks the police for help from the
// partner portal; nobody answers it by its deadline, so the board raises an
// alert, which links the controller to the referral: who sent it, what is
// asked, how late it is, the details. The controller acknowledges, accepts
// and completes it, and the AMHP sees the outcome in the portal. A second
// referral (from NHS 111) is declined with a reason.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock, must as apiMust } from './harness.mjs';

let server;
let browser;
const tokens = {};

before(async () => {
  server = await startConcordat({ extraArgs: usingMock ? [] : ['--virtual-clock'], name: 'server-referrals' });
  browser = await launchBrowser();
  for (const role of ['admin', 'hub111', 'controller']) tokens[role] = await apiToken(server.url, role);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const must = (role, method, path, body, status = 200) => apiMust(server.url, tokens[role], method, path, body, status);

const kAsk = 'AMHP assessment at 12 Acre Lane SW2 at 10:00. History of violence to staff: we ask for two officers. Call 020 7926 0000.';

describe('referrals to the police', { skip: usingMock && 'the stand-in server has no partners' }, () => {
  test('an AMHP asks the police; the overdue alert leads the controller to it; the answer reaches the AMHP', async () => {
    // The AMHP asks from the partner portal.
    const amhp = await signIn(browser.context, server.url, 'amhp');
    const ask = amhp.getByTestId('ask-police');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Send to the police' }).click();
    assert.match(await ask.locator('.field-error').innerText(), /Say what you need/);
    assert.equal(await ask.getByLabel(/^Details/).getAttribute('aria-invalid'), 'true');
    assert.equal(await ask.getByLabel('What you ask of the police').inputValue(), 'police_assistance');
    await ask.getByLabel(/^Details/).fill(kAsk);
    await ask.getByRole('button', { name: 'Send to the police' }).click();
    const sent = ask.getByTestId('ask-sent');
    await sent.waitFor();
    const id = /Sent as (ref-\d+)\./.exec(await sent.innerText())[1];
    assert.equal(await ask.getByLabel(/^Details/).inputValue(), '', 'the form is ready for the next request');
    const mine = amhp.locator(`[data-testid="referral"][data-referral="${id}"]`);
    await mine.filter({ hasText: 'Police assistance — to the police' }).waitFor();
    assert.equal(await mine.getAttribute('data-state'), 'sent');
    await screenshot(amhp, 'referrals-amhp-asked', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(amhp), []);

    const onServer = await must('controller', 'GET', '/api/referrals');
    const raised = onServer.referrals.find((r) => r.id === id);
    assert.equal(raised.direction, 'to_police');
    assert.equal(raised.from_agency, 'amhp-lambeth');
    assert.equal(raised.note, kAsk);

    // Nobody answers it in time: past the deadline the board raises an alert that links to it.
    const ctl = await signIn(browser.context, server.url, 'controller');
    await ctl.getByTestId('alerts-pane').waitFor();
    // Before its deadline the board already says a referral is waiting, and where to answer it.
    const waiting = ctl.getByTestId('referrals-waiting');
    await waiting.filter({ hasText: '1 referral to the police waiting for an answer' }).waitFor();
    assert.doesNotMatch(await waiting.innerText(), /overdue/);
    const dueInS = Math.ceil((Date.parse(raised.due_at) - Date.parse((await must('controller', 'GET', '/api/health')).now)) / 1000);
    await must('admin', 'POST', '/api/admin/clock/advance', { seconds: dueInS + 60 });
    const alert = ctl.locator('[data-testid="alert"][data-type="referral_overdue"]').filter({ hasText: id });
    await alert.waitFor();
    await waiting.filter({ hasText: '(1 overdue)' }).waitFor();
    await screenshot(ctl, 'referrals-board-alert');
    await alert.getByTestId('alert-referral-link').click();

    // The referral: who sent it, what is asked, how late, the details; focused.
    await ctl.getByRole('heading', { level: 1, name: 'Referrals to the police' }).waitFor();
    assert.equal(await ctl.evaluate(() => window.location.hash), `#/referrals/${id}`);
    const item = ctl.locator(`[data-testid="police-referral"][data-referral="${id}"]`);
    await item.waitFor();
    await ctl.waitForFunction((h) => document.activeElement?.id === h, `ref-${id}-h`);
    assert.equal(await item.getByRole('heading', { level: 3 }).innerText(), 'Police assistance — from Lambeth Council AMHP Service');
    assert.match(await item.getByTestId('referral-deadline').innerText(), /^Overdue by 1 min: it was to be answered by (?:\w{3} \d{1,2} \w{3} )?\d\d:\d\d$/);
    assert.equal(await item.getByTestId('referral-note').innerText(), kAsk);
    assert.match(await ctl.getByTestId('referrals-open').locator('.pane-count').innerText(), /1 open · 1 overdue/);
    await screenshot(ctl, 'referrals-police-overdue', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(ctl), []);
    // On a phone too: no sideways scrolling.
    await ctl.setViewportSize({ width: 390, height: 844 });
    assert.ok((await ctl.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(ctl, 'referrals-police-390', { fullPage: true });
    await ctl.setViewportSize({ width: 1366, height: 768 });

    // The controller answers it: acknowledge, accept, complete with the outcome.
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await ctl.locator(`[data-testid="police-referral"][data-referral="${id}"][data-state="acknowledged"]`).waitFor();
    assert.match(await item.getByTestId('referral-deadline').innerText(), /^Acknowledged \d\d:\d\d: accept or decline it$/);
    await item.getByRole('button', { name: 'Accept' }).click();
    await ctl.locator(`[data-testid="police-referral"][data-referral="${id}"][data-state="accepted"]`).waitFor();
    await item.getByRole('button', { name: 'Complete' }).click();
    await item.getByLabel('Outcome (optional)').fill('Two officers from AW attended the assessment; no incident');
    await item.getByRole('button', { name: 'Complete the referral' }).click();
    await ctl.getByTestId('referrals-open').getByText('No open referrals to the police.').waitFor();
    await ctl.getByTestId('referrals-closed').getByText(/^Answered and closed/).click();
    assert.match(await ctl.getByTestId('referrals-closed').innerText(), /outcome: Two officers from AW attended the assessment/);

    // The AMHP sees the answer in the portal.
    await mine.filter({ hasText: /completed \d\d:\d\d: Two officers from AW attended/ }).waitFor();
    assert.equal(await mine.getAttribute('data-state'), 'completed');

    // NHS 111 asks too; the controller declines it, and must say why.
    const other = await must('hub111', 'POST', '/api/referrals', { type: 'crisis_team', note: 'Caller in Croydon asks for a welfare check on her brother' }, 201);
    const second = ctl.locator(`[data-testid="police-referral"][data-referral="${other.id}"]`);
    await second.waitFor();
    // The day is named when the deadline falls on another day than now (late in the evening, or
    // after the clock was moved on above).
    assert.match(await second.getByTestId('referral-deadline').innerText(), /^Answer by (?:\w{3} \d{1,2} \w{3} )?\d\d:\d\d — \d+ min left$/);
    await second.getByRole('button', { name: 'Decline' }).click();
    await second.getByRole('button', { name: 'Decline the referral' }).click();
    assert.match(await second.locator('.field-error').innerText(), /NHS 111 Mental Health Hub \(London\) sees it/);
    await second.getByLabel('Reason for declining').fill('No risk to life or crime: the trust crisis line is the right service (RCRP)');
    await second.getByRole('button', { name: 'Decline the referral' }).click();
    await ctl.getByTestId('referrals-open').getByText('No open referrals to the police.').waitFor();
    const declined = (await must('hub111', 'GET', '/api/referrals')).referrals.find((r) => r.id === other.id);
    assert.equal(declined.state, 'declined');
    assert.match(declined.decline_reason, /trust crisis line/);
  });

  test('officers do not get the referrals screen; its alert link is only for those who answer', async () => {
    const page = await signIn(browser.context, server.url, 'officer');
    await page.goto(`${server.url}/#/referrals/ref-1`);
    await page.getByRole('heading', { level: 1, name: /AW11/ }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals to police' }).count(), 0);
  });
});
