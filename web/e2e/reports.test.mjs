// End-to-end: the reports screen's Home Office s136 return against the real
// server (GET /api/reports/s136, which exists). The generic reports of issue 8
// (GET /api/reports/{name}) are not tested here: that API has not landed yet;
// their rendering is unit-tested with fixtures (src/lib/reports.test.ts).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startConcordat({ name: 'server-reports' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('reports', { skip: usingMock && 'the stand-in server has no reports' }, () => {
  test('an analyst downloads the Home Office s136 return for this financial year', async () => {
    const page = await signIn(browser.context, server.url, 'analyst');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const section = page.getByTestId('s136-return');
    const year = Number(await section.getByLabel('Financial year').inputValue());
    const link = section.getByTestId('s136-csv');
    assert.match(await link.innerText(), new RegExp(`^Download the ${year}/\\d\\d return \\(CSV\\)$`));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `s136-return-${year}.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    const token = await apiToken(server.url, 'analyst');
    const direct = await (await fetch(`${server.url}/api/reports/s136?year=${year}`, { headers: { Authorization: `Bearer ${token}` } })).text();
    assert.equal(csv, direct, 'the file is the server’s return');
    const lines = csv.trim().split(/\r?\n/);
    assert.match(lines[0], /^financial_year,detention_id,.*first_place_of_safety,transport,police_vehicle_reason$/);
    assert.ok(lines.length >= 2, 'the demo’s s136 detentions are in the return');
    await section.getByText(`Downloaded: ${lines.length - 1} detention`).waitFor();
    await screenshot(page, 'reports-analyst', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });
});
