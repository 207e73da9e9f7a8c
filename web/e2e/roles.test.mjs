// End-to-end: every demo role signs in and lands on a sensible home screen
// that shows who they are (name, role, agency), with navigation only to the
// screens the role may use; a screen outside the role's set, asked for by its
// address, falls back to the home screen. Each home screen passes axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

const kMps = 'Metropolitan Police Service';
const kBoard = 'Control room board';
const kNew = 'New incident';
const kRef = 'BCUs and boroughs';
const kTeam = 'Mental Health Team';
const kReports = 'Reports';
const kPortal = 'Partner portal';
const kReferrals = 'Referrals to police';

// role → [home screen (the current link), the whole navigation in order, agency, a screen it may not open]
const kRoles = {
  call_handler: [kBoard, [kBoard, kNew, kReferrals, kRef], kMps, '#/team'],
  controller: [kBoard, [kBoard, kNew, kReferrals, kRef], kMps, '#/reports'],
  supervisor: [kBoard, [kBoard, kNew, kReferrals, kTeam, kReports, kRef], kMps, '#/partner'],
  officer: ['My unit', ['My unit', kBoard, kRef], kMps, '#/incidents/new'],
  mh_team: [kTeam, [kTeam, kReports, kRef], kMps, '#/board'],
  clinician: [kPortal, [kPortal, kRef], 'South London and Maudsley NHS Foundation Trust', '#/board'],
  amhp: [kPortal, [kPortal, kRef], 'Lambeth Council AMHP Service', '#/detentions/det-1'],
  ambulance: [kPortal, [kPortal, kRef], 'London Ambulance Service NHS Trust', '#/team'],
  hub111: [kPortal, [kPortal, kRef], 'NHS 111 Mental Health Hub (London)', '#/incidents/inc-1'],
  analyst: [kReports, [kReports, kBoard, kRef], kMps, '#/incidents/new'],
  auditor: ['Audit', ['Audit', kBoard, 'Accounts', kRef], kMps, '#/team'],
  admin: [kBoard, [kBoard, kNew, kReferrals, kTeam, kReports, 'Accounts', kRef], kMps, '#/partner'],
};

let server;
let browser;

before(async () => {
  server = await startConcordat({ name: 'server-roles' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('each role’s home screen', { skip: usingMock && 'the stand-in server has only the board' }, () => {
  for (const [role, [home, nav, agency, forbidden]] of Object.entries(kRoles)) {
    test(`${role} lands on ${home} with only its screens in the navigation`, async () => {
      const page = await signIn(browser.context, server.url, role);
      const main = page.getByRole('navigation', { name: 'Main' });
      const current = main.locator('a[aria-current="page"]');
      await current.waitFor();
      assert.equal(await current.innerText(), home, 'the home screen is the current one');
      assert.deepEqual(await main.getByRole('link').allInnerTexts(), nav, 'navigation');
      assert.equal(await page.getByTestId('user-agency').innerText(), agency);
      assert.equal(await page.getByTestId('user-role').getAttribute('data-role'), role);
      assert.ok((await page.getByTestId('user-name').innerText()).trim(), 'name shown');
      await page.waitForFunction((t) => document.title === `${t} — Concordat`, home);
      // The home screen has loaded (its heading, and no loading message left).
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('main .loading'));
      await screenshot(page, `home-${role}`, { fullPage: true });
      assert.deepEqual(await accessibilityProblems(page), [], `${role}'s home passes axe`);

      // A screen outside the role's set, by its address: back home.
      await page.goto(`${server.url}/${forbidden}`);
      await page.waitForFunction((t) => document.title === `${t} — Concordat`, home);
      assert.equal(await main.locator('a[aria-current="page"]').innerText(), home);
      await page.close();
    });
  }

  test('the auditor sees who read what: a partner’s reading of a shared incident is in the access log', async () => {
    // The clinician's home (run above) read the incidents shared with SLaM: each read is logged.
    const page = await signIn(browser.context, server.url, 'auditor');
    await page.getByTestId('audit-page').waitFor();
    await page.getByTestId('audit-read-at').filter({ hasText: /As read at/ }).waitFor();
    await page.getByLabel('User (username or id)').fill('clinician');
    await page.getByRole('button', { name: 'Show' }).click();
    const rows = page.getByTestId('audit-entry');
    await rows.first().waitFor();
    const text = await page.getByTestId('audit-table').innerText();
    assert.match(text, /user-clinician/);
    assert.doesNotMatch(text, /user-controller/, 'the filter keeps to the user asked for');
    await screenshot(page, 'audit-access-log', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('every role’s home fits a 390 px phone without sideways scrolling', async () => {
    for (const [role, [home]] of Object.entries(kRoles)) {
      const page = await signIn(browser.context, server.url, role, { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
      await page.waitForFunction((t) => document.title === `${t} — Concordat`, home);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('main .loading'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await screenshot(page, `home-${role}-390`, { fullPage: true });
      assert.ok(overflow <= 0, `${role}: ${home} is ${overflow}px wider than the screen`);
      await page.close();
    }
  });

  test('a partner home fits a 390 px phone', async () => {
    const page = await signIn(browser.context, server.url, 'clinician', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    await page.getByTestId('partner-page').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await screenshot(page, 'home-clinician-390', { fullPage: true });
    await page.close();
  });
});
