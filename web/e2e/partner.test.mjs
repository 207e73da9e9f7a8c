// End-to-end: the partner portal against the real server. A controller refers
// an incident to South London and Maudsley from the incident screen; the
// clinician sees it in the inbox, acknowledges and accepts it, sees the
// shared incident, and gets "not found" for an incident not shared with the
// trust; the clinician updates a Maudsley place of safety. The ambulance
// service sees only what its agreement allows, is told what is withheld, and
// declines a referral with a reason (which withdraws the share).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { accessibilityProblems, screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-partner', roles: ['controller', 'clinician', 'ambulance'] });

async function call(role, method, path, body) {
  const headers = { Authorization: `Bearer ${env.tokens[role]}` };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = randomUUID();
  }
  const res = await fetch(`${env.server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

async function must(role, method, path, body, status = 200) {
  const r = await call(role, method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function newIncident(description) {
  return must(
    'controller',
    'POST',
    '/api/incidents',
    {
      channel: '999',
      caller: { name: 'Ms Adeyemi', phone: '07700 900123' },
      location: { lat: 51.4613, lon: -0.1156, address: 'Coldharbour Lane, SW9', type: 'public_place' },
      type: 'concern_for_welfare',
      grade: 'S',
      flags: ['mental_health'],
      description,
    },
    201,
  );
}

describe('the partner portal', { skip: usingMock && 'the stand-in server has no partners' }, () => {
  test('a controller refers an incident to trust-slam; the clinician accepts it and cannot see an unshared incident', async () => {
    const inc = await newIncident('Man on the bus shelter roof, known to the SLaM community team');
    const unshared = await newIncident('Second incident, not referred to anyone');

    // The controller refers from the incident screen.
    const ctl = await signIn(env.browser.context, env.server.url, 'controller');
    await ctl.goto(`${env.server.url}/#/incidents/${inc.id}`);
    const section = ctl.getByTestId('incident-referrals');
    await section.waitFor();
    await section.getByLabel('Refer to').selectOption('trust-slam');
    await section.getByLabel('For', { exact: true }).selectOption('street_triage');
    await section.getByLabel('Note for the partner').fill('Please advise on approach; he knows the crisis team');
    await section.getByRole('button', { name: 'Send the referral' }).click();
    await section.locator('[data-testid="incident-referral"][data-state="sent"]').waitFor();
    await screenshot(ctl, 'partner-controller-referred', { fullPage: true });
    await ctl.close();
    const sent = (await must('controller', 'GET', '/api/referrals')).referrals.find((r) => r.incident?.id === inc.id);
    assert.equal(sent.agency_id, 'trust-slam');

    // The clinician lands on the portal and finds it in the inbox.
    const page = await signIn(env.browser.context, env.server.url, 'clinician');
    await page.getByRole('heading', { level: 1, name: /^Partner portal — South London and Maudsley/ }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const item = page.locator(`[data-testid="referral"][data-referral="${sent.id}"]`);
    await item.waitFor();
    assert.match(await item.innerText(), /Please advise on approach/);
    // The demo's s136 detention at the Maudsley HBPoS, which SLaM runs, is shared with SLaM by
    // the choice of place, with its clock and handover (its agreement covers detention records).
    const atMaudsley = page.getByTestId('shared-detention').filter({ hasText: 'Maudsley' });
    await atMaudsley.waitFor();
    assert.match(await atMaudsley.innerText(), /s136 · At place of safety .* clock started .* handover requested/);
    await screenshot(page, 'partner-clinician-inbox', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator(`[data-testid="referral"][data-referral="${sent.id}"][data-state="acknowledged"]`).waitFor();
    await item.getByRole('button', { name: 'Accept' }).click();
    await page.locator(`[data-testid="referral"][data-referral="${sent.id}"][data-state="accepted"]`).waitFor();
    const accepted = (await must('controller', 'GET', '/api/referrals')).referrals.find((r) => r.id === sent.id);
    assert.equal(accepted.state, 'accepted');
    assert.ok(accepted.acknowledged_at && accepted.accepted_at);

    // The shared incident: SLaM's agreement covers every category.
    const shared = page.locator(`[data-testid="shared-incident"][data-incident="${inc.id}"]`);
    await shared.waitFor();
    assert.match(await shared.innerText(), /Coldharbour Lane/);
    await shared.getByRole('link', { name: inc.reference }).click();
    await page.getByTestId('shared-incident-page').waitFor();
    await page.getByRole('heading', { level: 1, name: inc.reference }).waitFor();
    assert.match(await page.getByTestId('withheld').innerText(), /covers every category/);
    assert.match(await page.getByTestId('shared-incident').innerText(), /Caller: Ms Adeyemi/);

    // An incident not shared with the trust: not found, and nothing of it shown.
    await page.goto(`${env.server.url}/#/partner/incidents/${unshared.id}`);
    await page.getByTestId('not-found').waitFor();
    assert.match(await page.getByTestId('not-found').innerText(), /Not found/);
    assert.doesNotMatch(await page.locator('main').innerText(), /not referred to anyone/);
    assert.equal((await call('clinician', 'GET', `/api/incidents/${unshared.id}`)).status, 404);
    await screenshot(page, 'partner-clinician-not-found');
    assert.deepEqual(await accessibilityProblems(page), []);

    // Complete the accepted referral with an outcome.
    await page.getByRole('link', { name: '← Partner portal' }).click();
    await item.getByRole('button', { name: 'Complete' }).click();
    await item.getByLabel('Outcome (optional)').fill('Seen by the crisis team; home treatment');
    await item.getByRole('button', { name: 'Complete the referral' }).click();
    await page.locator(`[data-testid="referral"][data-referral="${sent.id}"][data-state="completed"]`).waitFor();

    // Live: a referral sent now appears in the open inbox within a couple of seconds, no reload.
    const third = await newIncident('Woman at the station asking for help');
    const t0 = Date.now();
    const live = await must('controller', 'POST', `/api/incidents/${third.id}/referrals`, { agency_id: 'trust-slam', type: 'crisis_team' }, 201);
    await page.locator(`[data-testid="referral"][data-referral="${live.id}"]`).waitFor({ timeout: 3000 });
    assert.ok(Date.now() - t0 < 3000, 'the new referral arrived over the stream');

    // Place-of-safety availability for the trust's own sites.
    const sites = page.getByTestId('site');
    assert.ok((await sites.count()) >= 1, 'SLaM runs at least one place of safety');
    const maudsley = page.locator('[data-testid="site"][data-site="pos-maudsley-hospital-denmark-hill"]');
    await maudsley.getByLabel('Suites free').fill('2');
    await maudsley.getByLabel('Note').fill('two suites being cleaned');
    await maudsley.getByRole('button', { name: 'Update availability' }).click();
    await maudsley.getByTestId('site-now').filter({ hasText: /open, 2 of 6 suites free/ }).waitFor();
    const pos = (await must('clinician', 'GET', '/api/places-of-safety')).find((p) => p.id === 'pos-maudsley-hospital-denmark-hill');
    assert.equal(pos.suites_free, 2);
    assert.equal(pos.note, 'two suites being cleaned');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'partner-clinician-390', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('the ambulance service sees only what its agreement allows, and declines with a reason', async () => {
    const inc = await newIncident('Needs conveyance to the place of safety');
    const ref = await must('controller', 'POST', `/api/incidents/${inc.id}/referrals`, { agency_id: 'las', type: 'ambulance_conveyance' }, 201);
    const page = await signIn(env.browser.context, env.server.url, 'ambulance');
    await page.getByRole('heading', { level: 1, name: /^Partner portal — London Ambulance Service/ }).waitFor();
    const shared = page.locator(`[data-testid="shared-incident"][data-incident="${inc.id}"]`);
    await shared.waitFor();
    const text = await shared.innerText();
    assert.match(text, /Coldharbour Lane/, 'location is disclosed');
    assert.doesNotMatch(text, /Ms Adeyemi/, 'the caller is not');
    assert.match(await shared.getByTestId('withheld').innerText(), /Withheld under your agreement: Person identity, Detention record, Health information\./);
    await screenshot(page, 'partner-ambulance', { fullPage: true });

    const item = page.locator(`[data-testid="referral"][data-referral="${ref.id}"]`);
    await item.getByRole('button', { name: 'Decline' }).click();
    await item.getByRole('button', { name: 'Decline the referral' }).click();
    await item.getByText('Give the reason: the police see it.').waitFor();
    await item.getByLabel('Reason for declining').fill('No crew free for 90 minutes; advise police transport');
    await item.getByRole('button', { name: 'Decline the referral' }).click();
    await page.locator(`[data-testid="referral"][data-referral="${ref.id}"][data-state="declined"]`).waitFor();
    await shared.waitFor({ state: 'detached' }); // declining withdraws the share
    const declined = (await must('controller', 'GET', '/api/referrals')).referrals.find((r) => r.id === ref.id);
    assert.equal(declined.decline_reason, 'No crew free for 90 minutes; advise police transport');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('the referral form offers only what the chosen agency takes, and warns when no agreement covers it', async () => {
    const inc = await newIncident('Woman on the footbridge asking for her crisis team');
    const ctl = await signIn(env.browser.context, env.server.url, 'controller');
    await ctl.goto(`${env.server.url}/#/incidents/${inc.id}`);
    const section = ctl.getByTestId('incident-referrals');
    await section.waitFor();
    const type = section.getByLabel('For', { exact: true });
    assert.equal(await type.isDisabled(), true, 'no type before an agency');
    const options = async () => (await type.locator('option').allInnerTexts()).filter((t) => t !== 'Choose…');
    await section.getByLabel('Refer to').selectOption('las');
    assert.deepEqual(await options(), ['Ambulance conveyance']);
    assert.equal(await type.inputValue(), 'ambulance_conveyance', 'the one type it takes is chosen');
    await section.getByLabel('Refer to').selectOption('trust-slam');
    assert.deepEqual(await options(), ['Street triage consultation', 'Trust crisis team', 'Safeguarding']);
    assert.equal(await type.inputValue(), '', 'a trust takes several: the controller chooses');
    assert.equal(await section.getByRole('button', { name: 'Send the referral' }).isDisabled(), true);
    // A strategic partnership takes no referral, so it is not offered.
    assert.equal(await section.getByLabel('Refer to').locator('option[value="partnership-sel"]').count(), 0);

    // East London NHS Foundation Trust has no agreement in the demo: the referral goes, with a warning.
    await section.getByLabel('Refer to').selectOption('trust-elft');
    await type.selectOption('crisis_team');
    await section.getByRole('button', { name: 'Send the referral' }).click();
    await section.locator('[data-testid="incident-referral"][data-state="sent"]').waitFor();
    assert.match(
      await section.getByTestId('referral-warnings').innerText(),
      /No active information-sharing agreement with East London NHS Foundation Trust: it sees this referral and its note, and nothing else of the incident/,
    );
    await screenshot(ctl, 'partner-referral-warning', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(ctl), []);
    await ctl.close();
  });
});
