// End-to-end tests of command and control against the real server, started
// with --virtual-clock so the test controls time (status prompts fire after 2
// minutes of virtual time). Units, incidents, the emergency press and most
// self-deployments are driven through the API, as the radio and other
// terminals would; what a person does is done in the browser.
//
// 1. The 26-officer case seen from the control room: an emergency press at a
//    mental-health incident, self-deployments past the advisory, the
//    over-attendance alert on the board within a second, stand-down from it.
// 2. The incident screen: a call handler creates incidents from the keyboard;
//    a controller dispatches from the recommendations, moves the assignment
//    through its states, records THRIVE twice, logs, regrades, closes, reopens.
// 3. The officer view on a 390-px phone: self-deploy through the advisory, a
//    status prompt answered, the emergency button pressed and cancelled.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  accessibilityProblems,
  apiToken,
  launchBrowser,
  screenshot,
  signIn,
  startConcordat,
  usingMock,
} from './harness.mjs';

let server;
let browser;
const tokens = {};

// St James's Park, Westminster (BCU AW).
const kLat = 51.501;
const kLon = -0.142;
const east = (metres) => kLon + metres / 69_400;

before(async () => {
  server = await startConcordat({ extraArgs: usingMock ? [] : ['--virtual-clock'], name: 'server-cad' });
  browser = await launchBrowser();
  for (const role of ['admin', 'controller', 'supervisor']) tokens[role] = await apiToken(server.url, role);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A call to the API as `role`; resolves to {status, json}. */
async function call(role, method, path, body) {
  const headers = { Authorization: `Bearer ${tokens[role]}` };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = randomUUID();
  }
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

async function must(role, method, path, body, status = 200) {
  const r = await call(role, method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

const advance = (seconds) => must('admin', 'POST', '/api/admin/clock/advance', { seconds });

async function addUnit(callSign, lat, lon) {
  await must(
    'supervisor',
    'POST',
    '/api/units',
    { call_sign: callSign, bcu: 'AW', status: 'available', crew: [{ collar: `${callSign}-1`, rank: 'PC' }] },
    201,
  );
  await must('controller', 'POST', `/api/units/unit-${callSign}/location`, { lat, lon });
}

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the 26-officer case, seen from the control room', () => {
  test('over-attendance is alerted on the board within a second, and standing down from the alert works', async (t) => {
    // The demo's own units' fixes go stale (30 min) so only this scenario's units are ranked.
    await advance(31 * 60);
    for (let n = 1; n <= 10; n++) await addUnit(`ZX${String(n).padStart(2, '0')}`, kLat, east(300 * n));

    const mh = await must(
      'controller',
      'POST',
      '/api/incidents',
      {
        channel: '999',
        caller: { name: 'Ward manager', phone: '020 7000 0000' },
        location: { lat: kLat, lon: kLon, address: "St James's Park", type: 'public_place' },
        type: 'mental_health',
        grade: 'I',
        flags: ['mental_health', 'vulnerability', 'children'],
        description: '17-year-old patient absent from escorted leave',
      },
      201,
    );
    for (const u of ['unit-ZX01', 'unit-ZX02']) {
      await must('controller', 'POST', `/api/incidents/${mh.id}/assignments`, { unit_id: u, mode: 'dispatched' }, 201);
      await must('controller', 'POST', `/api/units/${u}/location`, { lat: kLat, lon: kLon });
      await must('controller', 'POST', `/api/incidents/${mh.id}/assignments/${u}/state`, { state: 'at_scene' });
    }

    const page = await signIn(browser.context, server.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();

    // The emergency button: an officer-assistance incident, resourced with four: ZX02, already at
    // the scene on the mental-health incident, joins it and counts, and the nearest three are sent.
    const em = await must('controller', 'POST', '/api/units/unit-ZX01/emergency', {}, 201);
    assert.equal(em.type, 'officer_assistance');
    assert.equal(em.resourced, true);
    const emItem = page.locator(`[data-testid="incident"][data-reference="${em.reference}"]`);
    await emItem.waitFor();
    await emItem.getByText('Emergency button', { exact: true }).waitFor();
    await page.locator('[data-unit="unit-ZX01"] .status-emergency').waitFor();

    // Self-deployments: each is refused with the advisory, then confirmed with a reason.
    const assign = `/api/incidents/${em.id}/assignments`;
    const selfDeploy = async (unit) => {
      const refused = await call('controller', 'POST', assign, { unit_id: unit, mode: 'self_deployed' });
      assert.equal(refused.status, 422, refused.text);
      assert.equal(refused.json.error.field, 'confirm');
      assert.equal(refused.json.error.details.advisory.reference, em.reference);
      return call('controller', 'POST', assign, {
        unit_id: unit,
        mode: 'self_deployed',
        confirm: true,
        reason: 'heard the emergency on the radio',
      });
    };
    // The banner above the board names the emergency until it is over.
    await page.getByTestId('emergency-banner').filter({ hasText: em.reference }).waitFor();
    for (const u of ['unit-ZX07', 'unit-ZX08']) {
      assert.equal((await selfDeploy(u)).status, 201);
      await advance(10);
    }
    assert.equal(await page.locator('[data-testid="alert"][data-type="over_attendance"]').count(), 0);

    // The ninth makes 7 helping against 4 recommended + 2 tolerance (the presser, ZX01, is the
    // one being helped and is not counted).
    const t0 = Date.now();
    const ninth = await selfDeploy('unit-ZX09');
    assert.equal(ninth.status, 201, ninth.text);
    const alert = page.locator('[data-testid="alert"][data-type="over_attendance"]');
    await alert.waitFor({ timeout: 5000 });
    const elapsed = Date.now() - t0;
    t.diagnostic(`self-deployment to over-attendance alert on the board: ${elapsed} ms`);
    assert.ok(elapsed < 1000, `the alert took ${elapsed} ms to appear`);
    assert.match(await alert.innerText(), /7 units attending against 4 recommended/);
    assert.match(await alert.locator('.suggested').innerText(), /ZX09, ZX08, ZX07/);
    assert.ok(await emItem.locator('.attendance.over').count(), 'the queue shows the over-attendance');
    await screenshot(page, 'cad-board-over-attendance');
    assert.deepEqual(await accessibilityProblems(page), []);

    // Stand down the alert's suggested list from the board.
    await alert.getByRole('button', { name: /^Stand down 3 suggested/ }).click();
    await alert.waitFor({ state: 'detached' });
    for (const u of ['ZX07', 'ZX08', 'ZX09']) {
      await page.locator(`[data-testid="unit"][data-unit="unit-${u}"][data-status="available"]`).waitFor();
    }
    await page.locator('[data-testid="unit"][data-unit="unit-ZX03"][data-status="en_route"]').waitFor();
    await screenshot(page, 'cad-board-after-stand-down');

    // The incident shows the three stood down, the rest still on, and the timeline says why.
    await emItem.getByRole('link', { name: em.reference }).click();
    await page.getByTestId('incident-page').waitFor();
    await page.getByRole('heading', { level: 1, name: new RegExp(em.reference) }).waitFor();
    for (const u of ['ZX07', 'ZX08', 'ZX09']) {
      await page.locator(`[data-testid="assignment"][data-unit="unit-${u}"][data-state="stood_down"]`).waitFor();
      assert.equal(
        await page.locator(`[data-testid="assignment"][data-unit="unit-${u}"] [data-testid="assignment-state"]`).innerText(),
        'Stood down',
      );
    }
    for (const u of ['ZX03', 'ZX04', 'ZX05']) {
      await page.locator(`[data-testid="assignment"][data-unit="unit-${u}"][data-state="assigned"]`).waitFor();
    }
    await page.locator('[data-testid="assignment"][data-unit="unit-ZX02"][data-state="at_scene"]').waitFor();
    assert.equal(await page.locator('[data-testid="assignment"][data-unit="unit-ZX06"]').count(), 0, 'ZX06 was not needed');
    const timeline = await page.getByTestId('timeline').innerText();
    assert.match(timeline, /Alert \(Over-attendance\): 7 units attending/);
    assert.match(timeline, /ZX09 stood down — over-attendance: surplus to requirement/);
    assert.match(timeline, /ZX07 self-deployed after the sufficient-resources advisory — heard the emergency on the radio/);
    await screenshot(page, 'cad-incident-after-stand-down', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });
});

describe('the incident screen', () => {
  let created;

  test('a call handler creates incidents from the keyboard', async () => {
    const page = await signIn(browser.context, server.url, 'call_handler');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New incident' }).click();
    await page.getByRole('heading', { name: 'New incident' }).waitFor();
    // The type has focus: choose "Concern for welfare" by keyboard; grade and flags follow.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-type');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel('Grade').inputValue(), 'S');
    assert.equal(await page.getByLabel('Vulnerable person').isChecked(), true);
    assert.equal(await page.getByLabel('Mental health').isChecked(), false);
    await page.keyboard.press('Tab'); // grade
    await page.keyboard.press('Tab'); // channel
    await page.keyboard.press('Tab');
    await page.keyboard.type('12 Buckingham Gate, SW1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('51.4990, -0.1390'); // pasted as one pair
    await page.getByLabel('Mental health').check();
    await page.getByLabel('What the caller says').fill('Neighbour hears shouting; occupant known to mental-health services.');
    await page.getByLabel('Latitude').focus();
    await page.keyboard.press('Enter');
    const ref = page.getByTestId('created-reference');
    await ref.waitFor();
    assert.match(await ref.innerText(), /^CAD \d+\/\d\d[A-Z]{3}\d\d$/);
    assert.equal(await page.getByTestId('created-where').innerText(), 'Westminster · Central West BCU (AW)');
    assert.equal(await page.getByTestId('created-warnings').count(), 0);
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Open CAD/);
    created = { reference: await ref.innerText(), href: await page.getByRole('link', { name: /^Open CAD/ }).getAttribute('href') };
    await screenshot(page, 'cad-create-located', { fullPage: true });

    // An address only: created, with the server's warning that it is unlocated.
    await page.getByRole('button', { name: 'Next call' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-type');
    await page.getByLabel('Address or description of the place').fill('Outside the Tube station, Brixton');
    await page.getByLabel('Address or description of the place').press('Enter');
    await page.getByTestId('created-warnings').waitFor();
    assert.match(await page.getByTestId('created-warnings').innerText(), /no coordinates/);
    assert.equal(await page.getByTestId('created-where').innerText(), 'No borough or BCU');

    // Nothing to say where: the form says so and keeps focus on the address.
    await page.getByRole('button', { name: 'Next call' }).click();
    await page.keyboard.press('Enter');
    await page.getByText('Give an address, or a latitude and longitude.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-address');
    await screenshot(page, 'cad-create-errors', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('a controller dispatches a recommended unit, moves it through its states, assesses, logs, regrades, closes and reopens', async () => {
    assert.ok(created, 'the previous test created an incident');
    const page = await signIn(browser.context, server.url, 'controller');
    await page.goto(`${server.url}/${created.href}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(created.reference) }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();

    // Recommendations with reasons; dispatch the first.
    const rec = page.getByTestId('recommendation').first();
    await rec.waitFor();
    const unitId = await rec.getAttribute('data-unit');
    assert.match(await rec.locator('.reasons').innerText(), /km away, about \d+ min at grade S speed/);
    await rec.getByRole('button', { name: /^Dispatch/ }).click();
    const asg = page.locator(`[data-testid="assignment"][data-unit="${unitId}"]`);
    await asg.and(page.locator('[data-state="assigned"]')).waitFor();
    await page.locator(`[data-testid="recommendation"][data-unit="${unitId}"]`).waitFor({ state: 'detached' });
    await asg.getByRole('button', { name: /^En route/ }).click();
    await page.locator(`[data-testid="assignment"][data-unit="${unitId}"][data-state="en_route"]`).waitFor();
    await asg.getByRole('button', { name: /^At scene/ }).click();
    await page.locator(`[data-testid="assignment"][data-unit="${unitId}"][data-state="at_scene"]`).waitFor();
    await page.getByText('Target met', { exact: true }).waitFor();

    // THRIVE: version 1, then a reassessment is version 2.
    await page.getByRole('button', { name: 'Record THRIVE' }).click();
    const parts = { Threat: 'Verbal threats to self', Harm: 'Risk of self-harm', Risk: 'High', Investigation: 'None',
      Vulnerability: 'Lives alone; known to CMHT', Engagement: 'Engaging with officers' };
    for (const [label, text] of Object.entries(parts)) await page.getByLabel(label, { exact: true }).fill(text);
    await page.getByLabel('Overall risk').selectOption('high');
    await page.getByRole('button', { name: 'Save version 1' }).click();
    await page.locator('[data-testid="thrive-version"][data-version="1"]').waitFor();
    await page.getByRole('button', { name: 'Reassess (version 2)' }).click();
    assert.equal(await page.getByLabel('Harm', { exact: true }).inputValue(), 'Risk of self-harm');
    await page.getByLabel('Risk', { exact: true }).fill('Reducing: calmer with officers');
    await page.getByLabel('Overall risk').selectOption('medium');
    await page.getByRole('button', { name: 'Save version 2' }).click();
    await page.locator('[data-testid="thrive-version"][data-version="2"]').waitFor();
    assert.match(await page.getByTestId('thrive').innerText(), /version 2/);

    // A log entry, a regrade, and the close.
    await page.getByLabel('New log entry').fill('Street triage nurse on the phone to officers');
    await page.getByLabel('New log entry').press('Enter');
    await page.getByTestId('log-entry').filter({ hasText: 'Street triage nurse' }).waitFor();
    // The author by name, not by user id; the timeline names who did each thing too.
    await page.getByTestId('log-author').filter({ hasText: 'Demo Controller' }).first().waitFor();
    assert.equal(await page.getByTestId('log-author').first().getAttribute('title'), 'user-controller');
    await page.getByTestId('timeline').getByText('Demo Controller, controller').first().waitFor();
    await page.getByLabel('New grade').selectOption('E');
    await page.getByLabel('Reason', { exact: true }).fill('No longer urgent: in the care of the crisis team');
    await page.getByRole('button', { name: 'Regrade to E' }).click();
    await page.getByRole('heading', { name: 'Regrade (now E)' }).waitFor();
    await screenshot(page, 'cad-incident-working', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.getByLabel('Result').selectOption('referred_to_partner');
    await page.getByLabel('Summary').fill('Handed to the crisis team');
    await page.getByRole('button', { name: 'Close incident' }).click();
    await page.getByTestId('incident-status').filter({ hasText: 'Closed' }).waitFor();
    await page.locator(`[data-testid="assignment"][data-unit="${unitId}"][data-state="cleared"]`).waitFor();
    const timeline = await page.getByTestId('timeline').innerText();
    for (const line of [
      /Created from a 999 call: Concern for welfare, grade S/,
      /dispatched/,
      /En route → At scene/,
      /THRIVE v1: overall high/,
      /THRIVE v2: overall medium/,
      /Log: Street triage nurse/,
      /Regraded S → E — No longer urgent/,
      /At scene → Cleared \(incident closed\)/,
      /Closed: Referred to partner — Handed to the crisis team/,
    ]) {
      assert.match(timeline, line);
    }
    await page.getByLabel('Reason for reopening').fill('Caller rang back');
    await page.getByRole('button', { name: 'Reopen incident' }).click();
    await page.getByTestId('incident-status').filter({ hasText: 'Open' }).waitFor();
    await screenshot(page, 'cad-incident-reopened', { fullPage: true });
    await page.close();
  });
});

describe('the officer view on a phone', () => {
  test('self-deploys through the sufficient-resources advisory, answers a status prompt, presses and cancels the emergency button', async () => {
    // The officer's unit is AW11 (collar AW-1001). Put it at Westminster Bridge, where the demo's
    // incident it is dispatched to is, and make a resourced incident 400 m away.
    const units = (await must('controller', 'GET', '/api/units')).units;
    const aw11 = units.find((u) => u.id === 'unit-AW11');
    assert.ok(aw11.crew.some((c) => c.collar === 'AW-1001'));
    const board = await must('controller', 'GET', '/api/board');
    const bridge = board.incidents.find((i) => i.location.address === 'Westminster Bridge, SE1');
    assert.ok(bridge, 'the demo incident on Westminster Bridge');
    await must('controller', 'POST', '/api/units/unit-AW11/location', { lat: 51.4985, lon: -0.1145 });
    const near = await must(
      'controller',
      'POST',
      '/api/incidents',
      {
        channel: '999',
        location: { lat: 51.4985, lon: -0.1145 + 400 / 69_400, address: 'Lambeth Palace Road, SE1', type: 'public_place' },
        type: 'concern_for_welfare',
        grade: 'S',
        flags: ['mental_health'],
        description: 'Man sitting on the embankment wall, distressed',
      },
      201,
    );
    await must('controller', 'POST', `/api/incidents/${near.id}/assignments`, { unit_id: 'unit-AW14', mode: 'dispatched' }, 201);

    const page = await signIn(browser.context, server.url, 'officer', {
      prepare: (p) => p.setViewportSize({ width: 390, height: 844 }),
    });
    await page.getByRole('heading', { level: 1, name: /AW11/ }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    await page.locator(`[data-testid="my-assignment"][data-incident="${bridge.id}"]`).waitFor();
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'officer-390', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    // Self-deploy: the server answers with the advisory; confirm with a reason.
    const item = page.locator(`[data-testid="nearby-incident"][data-incident="${near.id}"]`);
    assert.match(await item.getByTestId('resourced-note').innerText(), /^Enough units are assigned \(1 of 1 assigned\)\. You were not sent/);
    await item.getByRole('button', { name: /^Self-deploy/ }).click();
    const advisory = item.getByTestId('advisory');
    await advisory.waitFor();
    assert.match(await advisory.getByTestId('advisory-text').innerText(), new RegExp(`Sufficient resources: ${near.reference} already has 1 of 1 unit\\.`));
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'focus moves to the reason');
    await screenshot(page, 'officer-390-advisory', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.keyboard.type('Closer than AW14 and the man knows me');
    await advisory.getByRole('button', { name: 'Self-deploy anyway' }).click();
    const mine = page.locator(`[data-testid="my-assignment"][data-incident="${near.id}"]`);
    await mine.waitFor();
    assert.equal(await mine.getByTestId('my-assignment-state').innerText(), 'Assigned');
    const detail = await must('controller', 'GET', `/api/incidents/${near.id}`);
    const mineOnServer = detail.assignments.find((a) => a.unit_id === 'unit-AW11');
    assert.equal(mineOnServer.mode, 'self_deployed');
    assert.equal(mineOnServer.after_advisory, true);
    assert.equal(mineOnServer.reason, 'Closer than AW14 and the man knows me');

    // Status buttons.
    const statusButtons = page.getByRole('group', { name: 'Unit status' });
    await statusButtons.getByRole('button', { name: 'Transporting' }).click();
    await page.getByTestId('my-status').filter({ hasText: 'Transporting' }).waitFor();
    assert.equal(await statusButtons.getByRole('button', { name: 'Transporting' }).getAttribute('aria-pressed'), 'true');
    await statusButtons.getByRole('button', { name: 'En route' }).click();
    await page.getByTestId('my-status').filter({ hasText: 'En route' }).waitFor();
    // Off duty while assigned is refused, and the refusal stays only until something else is done.
    await statusButtons.getByRole('button', { name: 'Off duty' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: /still assigned/ });
    await refusal.waitFor();

    // At the bridge for two minutes without "at scene": the prompt is addressed to the unit.
    await must('controller', 'POST', '/api/units/unit-AW11/location', {
      lat: bridge.location.lat,
      lon: bridge.location.lon,
    });
    await advance(120);
    const prompt = page.getByTestId('status-prompt');
    await prompt.waitFor({ timeout: 5000 });
    assert.match(await prompt.innerText(), new RegExp(`AW11: your location shows you at ${bridge.reference}`));
    await screenshot(page, 'officer-390-status-prompt', { fullPage: true });
    await prompt.getByRole('button', { name: 'I am at scene' }).click();
    await prompt.waitFor({ state: 'detached' });
    await refusal.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="my-assignment"][data-incident="${bridge.id}"][data-state="at_scene"]`).waitFor();

    // The emergency button, then "All OK".
    await page.getByRole('button', { name: 'Emergency', exact: true }).click();
    const active = page.getByTestId('emergency-active');
    await active.waitFor();
    assert.match(await active.innerText(), /Emergency active — CAD /);
    await screenshot(page, 'officer-390-emergency', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await active.getByRole('button', { name: 'All OK — cancel emergency' }).click();
    await page.getByRole('button', { name: 'Emergency', exact: true }).waitFor();
    const aw11After = await must('controller', 'GET', '/api/units/unit-AW11');
    assert.equal(aw11After.emergency, false);
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await page.close();
  });
});
