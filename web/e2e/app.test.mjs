// End-to-end tests of the web app against the real server (see harness.mjs).
// Run with `npm run e2e` (builds first). Screenshots land in e2e/screenshots/.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat } from './harness.mjs';

// What the header should say for each demo account (username = role).
const kRoleLabels = {
  call_handler: 'Call handler',
  controller: 'Controller',
  supervisor: 'Control room supervisor',
  officer: 'Response officer',
  mh_team: 'Mental Health Team',
  clinician: 'Clinician',
  amhp: 'AMHP',
  ambulance: 'Ambulance',
  hub111: 'NHS 111 hub',
  analyst: 'Analyst',
  auditor: 'Auditor',
  admin: 'Administrator',
};
const kBoardRoles = new Set(['call_handler', 'controller', 'supervisor', 'officer', 'admin', 'auditor', 'analyst']);

let server;
let browser;

before(async () => {
  server = await startConcordat();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('sign-in', () => {
  test('a wrong password shows the server error and stays on sign-in', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await screenshot(page, 'signin');
    await page.getByLabel('Username').fill('controller');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('#signin-error');
    await alert.filter({ hasText: /\S/ }).waitFor();
    assert.ok((await alert.innerText()).trim().length > 0, 'an error message is shown');
    assert.equal(await page.getByTestId('user-role').count(), 0);
    await screenshot(page, 'signin-error');
    await page.close();
  });

  test('each demo role signs in, sees its role in the header, and signs out', async (t) => {
    for (const [role, label] of Object.entries(kRoleLabels)) {
      await t.test(role, async () => {
        const page = await signIn(browser.context, server.url, role);
        assert.equal(await page.getByTestId('user-role').innerText(), label);
        assert.equal(await page.getByTestId('user-role').getAttribute('data-role'), role);
        assert.ok((await page.getByTestId('user-name').innerText()).trim(), 'name shown');
        assert.ok((await page.getByTestId('user-agency').innerText()).trim(), 'agency shown');
        const boardLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Control room board' });
        assert.equal(await boardLink.count(), kBoardRoles.has(role) ? 1 : 0, 'board in navigation');
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await screenshot(page, `role-${role}`);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        await page.close();
      });
    }
  });

  test('an unknown or expired token returns to sign-in with a notice', async () => {
    const page = await signIn(browser.context, server.url, 'controller');
    await page.evaluate(() => sessionStorage.setItem('concordat.token', 'not-a-real-token'));
    await page.reload();
    await page.getByText('Your session has expired — sign in again').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  test('a new tab offers to continue the session of a tab already signed in; signing out in one signs out both', async () => {
    // A browser of its own, so no other test's open tab offers its session too.
    const own = await launchBrowser();
    try {
      const first = await signIn(own.context, server.url, 'supervisor');
      const second = await own.context.newPage();
      await second.goto(`${server.url}/#/board`);
      const offer = second.getByRole('button', { name: 'Continue as Demo Inspector (Control Room), control room supervisor' });
      await offer.waitFor();
      // The choice is the person's: the form to sign in as someone else is still there.
      await second.getByLabel('Username').waitFor();
      await screenshot(second, 'signin-continue-offer');
      assert.deepEqual(await accessibilityProblems(second), []);
      await offer.click();
      await second.getByTestId('user-role').filter({ hasText: /supervisor/i }).waitFor();
      await first.getByRole('button', { name: 'Sign out' }).click();
      await second.getByText('You signed out in another tab.').waitFor();
      await second.getByRole('button', { name: 'Sign in' }).waitFor();
      // A tab with nobody signed in offers nothing.
      const third = await own.context.newPage();
      await third.goto(`${server.url}/`);
      await third.getByLabel('Username').waitFor();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await third.getByTestId('signin-offers').count(), 0);
    } finally {
      await own.close();
    }
  });
});

describe('control room board', () => {
  test('loads with the London map (33 boroughs), the queue, units and a live stream', async () => {
    const page = await signIn(browser.context, server.url, 'controller');
    await page.getByRole('heading', { name: 'Control room board' }).waitFor();
    const boroughs = page.locator('[data-testid="london-map"] path.borough');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="london-map"] path.borough').length > 0);
    assert.equal(await boroughs.count(), 33);
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    assert.match(await page.getByTestId('board-seq').innerText(), /^Board seq \d+$/);
    await page.getByRole('heading', { name: 'Incident queue' }).waitFor();
    await page.getByRole('heading', { name: 'Units', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await screenshot(page, 'board-1366x768');
    await page.close();
  });

  test('fits a 390 px wide phone without sideways scrolling', async () => {
    const page = await signIn(browser.context, server.url, 'officer');
    await page.setViewportSize({ width: 390, height: 844 });
    // Officers land on their unit; the board is one tap away.
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Control room board' }).click();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('path.borough').length === 33);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await screenshot(page, 'board-390', { fullPage: true });
    await page.close();
  });

  test('acknowledging an alert moves it out of the open list', async (t) => {
    const page = await signIn(browser.context, server.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const open = page.getByTestId('alert');
    // Alerts for supervisors (the demo's vacant liaison posts) are theirs to acknowledge: the
    // controller is offered only the others.
    const ackable = open.filter({ has: page.getByRole('button', { name: /^Acknowledge/ }) });
    if ((await ackable.count()) === 0) {
      if (server.mock) {
        t.skip('the stand-in server has no alerts and no command and control');
        await page.close();
        return;
      }
      await raiseOverAttendance();
      await ackable.first().waitFor();
    }
    const before = await open.count();
    await screenshot(page, 'board-with-alert');
    await ackable.first().getByRole('button', { name: /^Acknowledge/ }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert"]').length === n - 1, before);
    await page.close();
  });
});

/**
 * An over-attendance alert, at once and without a clock: four units dispatched to a grade S
 * incident (1 recommended, tolerance 2).
 */
async function raiseOverAttendance() {
  const token = await apiToken(server.url, 'controller');
  const post = async (path, body) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const inc = await post('/api/incidents', {
    channel: '101',
    type: 'concern_for_welfare',
    grade: 'S',
    location: { lat: 51.5155, lon: -0.0922, address: 'Moorgate, EC2', type: 'public_place' },
  });
  for (const u of ['unit-CE11', 'unit-CE12', 'unit-CE13', 'unit-CE14']) {
    await post(`/api/incidents/${inc.id}/assignments`, { unit_id: u, mode: 'dispatched' });
  }
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  test('sign-in screen', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  for (const [width, height] of [
    [1366, 768],
    [390, 844],
  ]) {
    test(`board at ${width}×${height}`, async () => {
      const page = await signIn(browser.context, server.url, 'controller');
      await page.setViewportSize({ width, height });
      await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('path.borough').length === 33);
      assert.deepEqual(await accessibilityProblems(page), []);
      await page.close();
    });
  }

  test('reference screen', async () => {
    // Partners land on their portal; the reference screen is in everyone's navigation.
    const page = await signIn(browser.context, server.url, 'clinician');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'BCUs and boroughs' }).click();
    await page.getByRole('heading', { name: 'Boroughs (33)' }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('keyboard: focus starts at the board heading; alerts, then the queue; header before it', async () => {
    const page = await signIn(browser.context, server.url, 'controller');
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    assert.equal(await focused(), 'Control room board');
    const forward = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      forward.push(await focused());
    }
    const ackCount = await page.getByTestId('alert').count();
    if (ackCount > 0) {
      await page.getByRole('heading', { name: 'Control room board' }).focus();
      await page.keyboard.press('Tab');
      assert.ok(
        await page.evaluate(() => !!document.activeElement?.closest('[data-testid="alerts-pane"]')),
        'the alerts come first after the heading',
      );
    }
    const refs = await page.locator('.incident-ref').allInnerTexts();
    if (refs.length > 0) assert.ok(forward.includes(refs[0]) || ackCount >= 2, `queue follows alerts: ${forward}`);
    await page.getByRole('heading', { name: 'Control room board' }).focus();
    const backward = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Shift+Tab');
      backward.push(await focused());
    }
    assert.deepEqual(backward, ['Sign out', 'BCUs and boroughs', 'Referrals to police', 'New incident', 'Control room board', 'Skip to main content']);
    await screenshot(page, 'skip-link-focused');
    await page.close();
  });
});
