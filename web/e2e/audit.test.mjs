// End-to-end: the auditor checks the log's hash chain from the Audit screen. Whole at first, with
// the count and the head hash; then a row of the SQLite file is edited behind the server's back
// (as someone with the file but not the server might) and the next check names that event.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { accessibilityProblems, screenshot, signIn, suiteEnvironment, usingMock } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-audit' });

describe('the log check on the Audit screen', { skip: usingMock && 'the stand-in server has no log' }, () => {
  test('whole, then broken at the row edited behind the server’s back', async () => {
    const page = await signIn(env.browser.context, env.server.url, 'auditor');
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    const check = page.getByTestId('log-check');
    await check.getByRole('button', { name: 'Check the log now' }).click();
    const result = check.getByTestId('log-check-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'true');
    const text = await result.innerText();
    const n = Number(/Whole: all ([\d,]+) events check out/.exec(text)?.[1].replace(/,/g, ''));
    const head = (await (await fetch(`${env.server.url}/api/health`)).json()).log_seq;
    assert.ok(n > 100 && n <= head, `${n} events checked of ${head}`);
    assert.match(text, /Head hash [0-9a-f]{64}/);
    assert.match(text, /Checked at \d\d:\d\d:\d\d in (under a second|[\d.]+ s)\./);
    await screenshot(page, 'audit-log-whole');
    assert.deepEqual(await accessibilityProblems(page), []);

    execFileSync('sqlite3', [join(env.server.dataDir, 'concordat.db'), `UPDATE events SET payload = '{"edited":true}' WHERE seq = 5`]);
    await check.getByRole('button', { name: 'Check the log now' }).click();
    await check.locator('[data-testid="log-check-result"][data-ok="false"]').waitFor();
    assert.equal(await result.getAttribute('role'), 'alert');
    assert.match(await result.innerText(), /^Broken at event 5: altered event: its content does not match its hash\. The 4 events before it check out\./);
    await screenshot(page, 'audit-log-broken');
    // The access log below still reads.
    await page.getByRole('heading', { level: 2, name: 'Access log: who read what' }).waitFor();
    await page.close();
  });
});
