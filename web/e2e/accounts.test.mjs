// End-to-end: the administrator manages accounts in the web app against the real server — a
// mistake in the form is named before anything is sent, a new officer account signs in, an
// account disabled (after a confirmation) loses its open session at once and every change is on
// the record with who made it; the auditor reads the same page without the controls.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startConcordat({ name: 'server-accounts' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (page, username) => page.locator(`[data-testid="account-row"][data-username="${username}"]`);

describe('accounts', { skip: usingMock && 'the stand-in server has no accounts' }, () => {
  test('the administrator adds an officer, disables an analyst, and both are on the record', async () => {
    const analystToken = await apiToken(server.url, 'analyst');
    const page = await signIn(browser.context, server.url, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await row(page, 'analyst').waitFor();
    assert.match(await page.getByTestId('accounts-read-at').innerText(), /As read at .* not live/);
    // No Disable button on one's own account.
    assert.equal(await row(page, 'admin').getByRole('button', { name: /^Disable/ }).count(), 0);

    // A short password and no role: named in the form, nothing sent.
    const before = await page.getByTestId('account-row').count();
    await page.getByLabel('Username').fill('pc.ward');
    await page.getByLabel(/^Password/).fill('short');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('At least 10 characters').waitFor();
    await page.getByText('Choose a role').waitFor();
    await page.getByText('Give the person’s name').waitFor();
    assert.equal(await page.getByTestId('account-row').count(), before);

    await page.getByLabel('Name', { exact: true }).fill('PC Ada Ward');
    await page.getByLabel('Role').selectOption('officer');
    await page.getByText('An officer’s account needs the collar number').waitFor();
    await page.getByLabel('Collar number').fill('AW-2002');
    await page.getByLabel(/^Password/).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Add account' }).dblclick();
    await page.getByText('Added pc.ward. They can sign in now.').waitFor();
    await row(page, 'pc.ward').waitFor();
    assert.equal(await page.getByTestId('account-row').count(), before + 1, 'added once, though clicked twice');
    assert.match(await row(page, 'pc.ward').innerText(), /PC Ada Ward · AW-2002/);

    // A partner role needs its agency; the list offers only that kind.
    await page.getByLabel('Role').selectOption('ambulance');
    const agencies = await page.getByLabel('Agency').locator('option').allInnerTexts();
    assert.deepEqual(agencies, ['Choose…', 'London Ambulance Service NHS Trust']);

    // Disable the analyst: asked first, then their open session ends.
    await row(page, 'analyst').getByRole('button', { name: /^Disable/ }).click();
    await row(page, 'analyst').getByText('Disable analyst? Their sessions end now.').waitFor();
    await row(page, 'analyst').getByRole('button', { name: 'Yes, disable' }).click();
    await page.waitForSelector('[data-testid="account-row"][data-username="analyst"][data-disabled="true"]');
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { Authorization: `Bearer ${analystToken}` } });
    assert.equal(me.status, 401, 'the disabled analyst’s session has ended');

    const changes = await page.getByTestId('account-change').allInnerTexts();
    assert.match(changes[0], /Disabled analyst\s+user-admin \(Administrator\)/);
    assert.match(changes[1], /Added pc\.ward\s+user-admin \(Administrator\)/);
    assert.equal(changes.filter((c) => c.includes('Added pc.ward')).length, 1);
    assert.deepEqual(await accessibilityProblems(page), [], 'the accounts page passes axe');
    await screenshot(page, 'accounts-admin', { fullPage: true });

    // The new officer signs in.
    const officer = await signIn(browser.context, server.url, 'pc.ward', { password: 'a-long-enough-password' });
    assert.equal(await officer.getByTestId('user-role').getAttribute('data-role'), 'officer');
    await officer.close();
    await page.close();
  });

  test('an officer locked out by wrong passwords is told for how long, and the administrator lifts the lock', async () => {
    const login = (password) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'officer', password }),
      });
    for (let i = 0; i < 5; i++) assert.equal((await login(`wrong-guess-${i}`)).status, 401);
    const locked = await login('concordat-demo');
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 14 * 60);

    // The officer, at the sign-in screen, reads why and for how long.
    const officer = await browser.context.newPage();
    await officer.goto(server.url);
    await officer.getByLabel('Username').fill('officer');
    await officer.getByLabel('Password').fill('concordat-demo');
    await officer.getByRole('button', { name: /sign in/i }).click();
    await officer.getByText('Too many failed sign-ins for this account; try again in 15 minutes or ask an administrator to unlock it.', { exact: true }).waitFor();

    const page = await signIn(browser.context, server.url, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await row(page, 'officer').getByTestId('sign-in-locked').waitFor();
    assert.match(await row(page, 'officer').getByTestId('sign-in-locked').innerText(), /^Sign-in locked until \d\d:\d\d$/);
    assert.equal(await page.getByTestId('sign-in-locked').count(), 1, 'only the officer is locked');
    await row(page, 'officer').scrollIntoViewIfNeeded();
    await screenshot(page, 'accounts-sign-in-locked');
    await row(page, 'officer').getByRole('button', { name: /^Unlock sign-in/ }).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="sign-in-locked"]'));
    assert.match((await page.getByTestId('account-change').allInnerTexts())[0], /Lifted the sign-in lock of officer\s+user-admin/);

    await officer.getByLabel('Password').fill('concordat-demo'); // the screen cleared it
    await officer.getByRole('button', { name: /sign in/i }).click();
    await officer.getByTestId('user-role').waitFor();
    await officer.close();
    await page.close();
  });

  test('setting a password says for whom and that their sessions ended; at 390 px each account and its actions fit', async () => {
    const controllerToken = await apiToken(server.url, 'controller');
    const page = await signIn(browser.context, server.url, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    const controller = row(page, 'controller');
    await controller.waitFor();
    const name = (await controller.locator('td').nth(1).innerText()).replace(/^Name:\s*/, '').split(' · ')[0];
    await controller.getByRole('button', { name: 'Set password of controller' }).click();
    await controller.getByRole('textbox', { name: 'New password for controller' }).fill('another-long-password');
    await controller.getByRole('button', { name: 'Save' }).click();
    const said = controller.getByTestId('password-set');
    await said.waitFor();
    assert.equal(await said.innerText(), `Password set for ${name}; their sessions have ended.`);
    assert.equal(await said.getAttribute('role'), 'status');
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { Authorization: `Bearer ${controllerToken}` } });
    assert.equal(me.status, 401, 'the controller’s session has ended');
    assert.match((await page.getByTestId('account-change').allInnerTexts())[0], /Set the password of controller/);

    // At 390 px: no sideways scrolling of the page or the table; every account's state and actions on screen.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      const table = page.getByRole('region', { name: 'Accounts', exact: true });
      assert.ok(await table.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the accounts table does not scroll sideways');
      const rows = await page.getByTestId('account-row').all();
      assert.ok(rows.length >= 12);
      for (const r of rows) {
        const text = await r.innerText();
        assert.match(text, /State: (Active|Disabled)/, text);
        assert.match(text, /Role: /);
        for (const button of await r.getByRole('button').all()) {
          const box = await button.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${text.split('\n')[0]}: a button off screen at x=${box?.x}`);
        }
      }
      await row(page, 'officer').getByRole('button', { name: 'Set password of officer' }).click();
      const box = await row(page, 'officer').getByRole('textbox', { name: 'New password for officer' }).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the password box fits');
      await row(page, 'officer').getByRole('button', { name: 'Cancel' }).click();
      await controller.scrollIntoViewIfNeeded();
      await screenshot(page, 'accounts-390');
      assert.deepEqual(await accessibilityProblems(page), []);
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    await page.close();
  });

  test('the auditor reads accounts and their changes, with no controls', async () => {
    const page = await signIn(browser.context, server.url, 'auditor');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await row(page, 'admin').waitFor();
    await page.getByText('Read only: accounts are changed by an administrator.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add account' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^(Disable|Enable|Set password)/ }).count(), 0);
    assert.ok((await page.getByTestId('account-change').count()) >= 12, 'the demo seed’s accounts are on the record');
    await page.close();
  });
});
