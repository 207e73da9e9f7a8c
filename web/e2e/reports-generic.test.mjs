// End-to-end: the five generic reports (GET /api/reports/{name}) on the
// reports screen against the real server and its demo seed. Each report's
// summary, a table and its chart show the figures the server sent (formatted
// for people); one table is downloaded as CSV with the token; a window that
// ends before it starts shows the server's refusal.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

let server;
let browser;
let page;

const kReports = ['attendance', 'record-quality', 'response', 'mental-health', 'teams'];

before(async () => {
  server = await startConcordat({ name: 'server-reports-generic' });
  browser = await launchBrowser();
  page = await signIn(browser.context, server.url, 'analyst');
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
});

after(async () => {
  await page?.close();
  await browser?.close();
  await server?.stop();
});

/** Chooses a report, shows it, and returns the JSON the page was given. */
async function showReport(name) {
  await page.getByLabel('Report', { exact: true }).selectOption(name);
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === `/api/reports/${name}`),
    page.getByRole('button', { name: 'Show the report' }).click(),
  ]);
  assert.equal(res.status(), 200, `${name}: HTTP ${res.status()}`);
  const json = await res.json();
  await page.locator(`[data-testid="report"][data-report="${name}"]`).waitFor();
  return json;
}

// Numbers as the page writes them (en-GB, at most two decimals); units vary, so only the figure is compared.
const figure = (v) => (Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumFractionDigits: 2 }));

describe('generic reports', { skip: usingMock && 'the stand-in server has no reports' }, () => {
  for (const name of kReports) {
    test(`${name}: summary, a table and its chart show the server's figures`, async () => {
      const r = await showReport(name);
      const view = page.locator(`[data-testid="report"][data-report="${name}"]`);
      assert.equal(await view.getByRole('heading', { level: 2 }).innerText(), r.title);
      // The default window ends with today, which is not over: the page says the figures are as at the report's time.
      assert.ok(Date.parse(r.to) > Date.parse(r.generated_at), 'the window runs past now');
      assert.match(await view.locator('p.small').first().innerText(), /figures as at \d\d:\d\d: the window is not over yet/);
      // The demo seed gives every report something to count.
      const numbers = Object.values(r.summary).filter((v) => typeof v === 'number');
      assert.ok(numbers.some((v) => v > 0), `${name}: the demo gives a non-zero summary figure: ${JSON.stringify(r.summary)}`);
      const dds = await view.getByTestId('report-summary').locator('dd').allInnerTexts();
      assert.equal(dds.length, Object.keys(r.summary).length, 'one entry per summary figure');
      Object.values(r.summary).forEach((v, i) => {
        if (typeof v === 'number') assert.ok(dds[i].startsWith(figure(v)), `${name}: summary ${i} shows ${v} as "${dds[i]}"`);
        else if (v === null) assert.equal(dds[i], '—');
      });
      for (const dd of dds) assert.doesNotMatch(dd, /\dE-?\d|T\d\d:\d\d:\d\d/, 'no raw JSON numbers or ISO times');

      // A table with rows: its first row is in the page, and its chart drew a bar per row.
      const t = r.tables.find((x) => x.rows.length > 0);
      assert.ok(t, `${name}: a table with rows`);
      const section = view.locator(`[data-testid="report-table"][data-table="${t.name}"]`);
      const headers = await section.locator('thead th').allInnerTexts();
      assert.deepEqual(headers, t.columns.map((c) => c.label));
      const firstRow = await section.locator('tbody tr').first().locator('td').allInnerTexts();
      t.columns.forEach((c, i) => {
        const v = t.rows[0][c.key];
        if (typeof v === 'number') assert.ok(firstRow[i].startsWith(figure(v)), `${t.name}.${c.key}: ${v} shown as "${firstRow[i]}"`);
        else if (typeof v === 'string' && !/^\d{4}-\d\d-\d\dT/.test(v)) assert.equal(firstRow[i], v === 'hbpos' ? 'health-based place of safety' : v.replace(/_/g, ' '), 'codes read as words');
        else if (v === null) assert.equal(firstRow[i], '—');
      });
      assert.equal(await section.locator('tbody tr').count(), t.rows.length);
      const charted = view.getByTestId('report-chart');
      assert.ok((await charted.count()) >= 1, `${name}: at least one chart`);
      const bars = await charted.first().locator('rect.bar').count();
      assert.ok(bars >= 1, 'the chart has bars');
      const label = await charted.first().getAttribute('aria-label');
      assert.match(label, /\d/, 'the chart names its figures');
      await screenshot(page, `reports-${name}-1366`, { fullPage: true });
    });
  }

  test('a table downloads as CSV with the token; its header row is the column keys', async () => {
    const r = await showReport('mental-health');
    const t = r.tables.find((x) => x.name === 'detentions');
    assert.ok(t && t.rows.length > 0, 'the demo has detentions');
    const section = page.locator(`[data-testid="report-table"][data-table="detentions"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByTestId('csv-link').click()]);
    assert.match(download.suggestedFilename(), /^mental-health-detentions-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], t.columns.map((c) => c.key).join(','));
    assert.equal(lines.length - 1, t.rows.length, 'a line per detention');
    assert.match(lines[1], new RegExp(`^${t.rows[0].detention_id},`));
    // Without the token the server refuses, so the page must have sent it.
    const href = await section.getByTestId('csv-link').getAttribute('href');
    assert.equal((await fetch(`${server.url}${href}`)).status, 401);
    const token = await apiToken(server.url, 'analyst');
    assert.equal((await fetch(`${server.url}${href}`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
  });

  test('at 390 px a report fits without sideways scrolling (wide tables scroll in their own box)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const r = await showReport('response');
      // 36 BCU × grade rows: the chart draws those above zero and says so.
      const byBcu = page.locator('[data-testid="report-table"][data-table="by_bcu"]');
      const rows = r.tables.find((t) => t.name === 'by_bcu').rows;
      const nonZero = rows.filter((x) => x.incidents > 0).length;
      assert.equal(await byBcu.locator('rect.bar').count(), nonZero);
      assert.match(await byBcu.getByTestId('chart-omitted').innerText(), new RegExp(`the table has all ${rows.length}`));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await screenshot(page, 'reports-response-390', { fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  test('at 390 px the mental-health report’s bar labels are whole, above their bars; handover waits say their unit', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const r = await showReport('mental-health');
      const view = page.locator('[data-testid="report"][data-report="mental-health"]');
      // The summary names the limit the server reports, in minutes.
      const limit = r.summary.handover_limit_minutes;
      assert.equal(typeof limit, 'number', 'the server reports the handover limit');
      const dts = await view.getByTestId('report-summary').locator('dt').allInnerTexts();
      assert.ok(dts.includes(`Handover waits over ${limit} minutes`), dts.join(' | '));
      // The outcomes, as their breakdowns: each chart's labels drawn inside it, and whole (wrapped, not cut).
      const outcomes = r.tables.find((t) => t.name === 'rcrp_outcomes');
      const section = view.locator('[data-testid="report-table"][data-table="rcrp_outcomes"]');
      const charts = section.getByTestId('report-chart');
      await section.scrollIntoViewIfNeeded();
      const labels = [];
      for (const chart of await charts.all()) {
        labels.push(
          ...(await chart.evaluate((svg) => {
            const width = svg.getBoundingClientRect().width;
            return [...svg.querySelectorAll('.bar-label')].map((t) => {
              const b = t.getBBox();
              return { text: [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ') || t.textContent, left: b.x, right: b.x + b.width, width };
            });
          })),
        );
      }
      assert.equal(labels.length, outcomes.rows.length, 'a bar per outcome (every breakdown is short enough to chart whole)');
      for (const l of labels) {
        assert.ok(l.left >= 0 && l.right <= l.width, `"${l.text}" runs from ${l.left} to ${l.right} of ${l.width}`);
        assert.ok(outcomes.rows.some((x) => x.outcome.replace(/_/g, ' ').endsWith(`: ${l.text}`)), `"${l.text}" is a whole outcome`);
      }
      await screenshot(page, 'reports-mental-health-390');
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  test('mental-health: RCRP outcomes show their three breakdowns under headings that say so', async () => {
    const r = await showReport('mental-health');
    const section = page.locator('[data-testid="report-table"][data-table="rcrp_outcomes"]');
    assert.equal(await section.getByRole('heading', { level: 3 }).innerText(), 'Right Care, Right Person outcomes');
    assert.deepEqual(await section.getByRole('heading', { level: 4 }).allInnerTexts(), ['Police attendance', 'RCRP triage threshold', 'Signposted to']);
    const rows = r.tables.find((t) => t.name === 'rcrp_outcomes').rows;
    for (const [key, prefix] of [['police attendance', 'police attendance: '], ['triage threshold', 'triage threshold: '], ['triage signposted', 'triage signposted: ']]) {
      const part = section.locator(`[data-testid="rcrp-breakdown"][data-breakdown="${key}"]`);
      const mine = rows.filter((x) => x.outcome.startsWith(prefix));
      if (mine.length === 0) {
        // The server sends where callers were signposted only for incidents below the threshold.
        assert.equal(r.summary.below_threshold, 0);
        await part.getByText('None: no incident in this window was triaged below the police threshold.').waitFor();
      } else {
        const cells = await part.locator('tbody tr td:first-child').allInnerTexts();
        assert.deepEqual(cells, mine.map((x) => x.outcome.slice(prefix.length).replace(/_/g, ' ')));
      }
    }
    // Attendance and the threshold each add up to the mental-health incidents.
    const sum = (prefix) => rows.filter((x) => x.outcome.startsWith(prefix)).reduce((n, x) => n + x.incidents, 0);
    assert.equal(sum('police attendance: '), r.summary.incidents);
    assert.equal(sum('triage threshold: '), r.summary.incidents);
    assert.deepEqual(await accessibilityProblems(page), []);
  });

  test('mental-health: a window of several days dates its times; running detentions and waits say so', async () => {
    const r = await showReport('mental-health');
    const t = r.tables.find((x) => x.name === 'detentions');
    assert.ok(t.rows.length > 0, 'the demo has detentions');
    const section = page.locator('[data-testid="report-table"][data-table="detentions"]');
    const col = (key) => t.columns.findIndex((c) => c.key === key);
    // The server marks each wait still running; the summary counts them.
    const running = t.rows.filter((x) => x.handover_wait_running === true);
    assert.equal(running.length, r.summary.handover_waits_running);
    assert.ok(running.length > 0, 'the demo has a handover wait still running at a place of safety');
    const rows = section.locator('tbody tr');
    for (let i = 0; i < t.rows.length; i++) {
      const row = t.rows[i];
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      // The default window is eight London days: "08:52" alone could be any of them.
      assert.match(cells[col('decided_at')], /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/, `${row.detention_id} detained: "${cells[col('decided_at')]}"`);
      assert.equal(cells[col('hours_detained')].endsWith(' so far'), row.status !== 'ended', `${row.detention_id} duration: "${cells[col('hours_detained')]}"`);
      const wait = cells[col('handover_wait_minutes')];
      if (typeof row.handover_wait_minutes !== 'number') assert.equal(wait, '—');
      else if (row.handover_wait_running) assert.match(wait, /^still waiting, [\d.]+ min so far$/, `${row.detention_id}: a running wait`);
      else assert.doesNotMatch(wait, /waiting/, `${row.detention_id}: a finished wait`);
    }
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'reports-mental-health-detentions');
  });

  test('a window wholly in the future has not started: no figures', async () => {
    await page.getByLabel('Report', { exact: true }).selectOption('mental-health');
    await page.getByLabel('From (London day)').fill('2099-01-10');
    await page.getByLabel('To (inclusive)').fill('2099-01-11');
    await page.getByRole('button', { name: 'Show the report' }).click();
    const view = page.locator('[data-testid="report"][data-report="mental-health"]');
    await view.getByTestId('report-window').getByText('Sat 10 Jan 2099 to Sun 11 Jan 2099', { exact: false }).waitFor();
    assert.match(await view.getByTestId('report-window').innerText(), /the window has not started yet: no figures yet$/);
    assert.doesNotMatch(await view.innerText(), /not over yet/);
    assert.equal(await view.getByTestId('report-summary').count(), 0, 'no zeros passed off as figures');
    assert.equal(await view.getByTestId('report-table').count(), 0);
    await screenshot(page, 'reports-future-window');
  });

  test('a window that ends before it starts shows the server’s message', async () => {
    await page.getByLabel('From (London day)').fill('2026-11-20');
    await page.getByLabel('To (inclusive)').fill('2026-11-10');
    await page.getByRole('button', { name: 'Show the report' }).click();
    const alert = page.locator('.report-form [role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /^The report window must end after it starts$/);
    assert.equal(await page.getByTestId('report').count(), 0, 'no stale report under the error');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await screenshot(page, 'reports-bad-window', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
  });
});

describe('the default window', { skip: usingMock && 'the stand-in server has no reports' }, () => {
  test('is the last week by the server’s clock, not a browser’s that is two days fast', async () => {
    const own = await launchBrowser();
    try {
      const health = await (await fetch(`${server.url}/api/health`)).json();
      const serverNow = Date.parse(health.now);
      const londonDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(ms);
      const p = await signIn(own.context, server.url, 'analyst', {
        prepare: (pg) => pg.clock.setSystemTime(serverNow + 2 * 86_400_000),
      });
      assert.equal(await p.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(Date.now())), londonDay(serverNow + 2 * 86_400_000), 'the browser’s clock is two days fast');
      await p.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
      const to = p.getByLabel('To (inclusive)');
      // The page corrects once GET /api/health answers.
      await p.waitForFunction((day) => document.querySelector('#report-to')?.value === day, londonDay(serverNow), { timeout: 5000 }).catch(() => undefined);
      assert.equal(await to.inputValue(), londonDay(serverNow));
      assert.equal(await p.getByLabel('From (London day)').inputValue(), londonDay(serverNow - 7 * 86_400_000));
      // And the report made for it is running by the server's clock.
      await p.getByLabel('Report', { exact: true }).selectOption('mental-health');
      await p.getByRole('button', { name: 'Show the report' }).click();
      assert.match(await p.getByTestId('report-window').innerText(), /figures as at \d\d:\d\d: the window is not over yet$/);
      await p.close();
    } finally {
      await own.close();
    }
  });
});
