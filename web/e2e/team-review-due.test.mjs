// End-to-end on a virtual clock: a high-intensity flag's health-led review falls due (RULES.md
// F31). The engine raises an alert for the Mental Health Team; their page shows it with the way
// to the flag; the control room's board does not carry it; recording the next review closes it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, apiToken, must as mustWith, screenshot, signIn, suiteEnvironment, usingMock } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-team-review', roles: ['admin', 'mh_team', 'controller'], extraArgs: usingMock ? [] : ['--virtual-clock'] });

/** YYYY-MM-DD of `ms` in London, `plusDays` later. */
function londonDay(ms, plusDays = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms + plusDays * 86_400_000));
}

function reviewBody(reviewDate, expiresOn) {
  return {
    health_lead: 'Dr Osei',
    health_organisation: 'South London and Maudsley NHS FT',
    lawful_basis: 'UK GDPR Art 9(2)(h); DPA 2018 Sch 1 para 2',
    rationale: 'Five contacts in 25 days; joint plan with the community team',
    review_date: reviewDate,
    expires_on: expiresOn,
  };
}

describe('a flag review falling due', { skip: usingMock && 'the stand-in server has no team API' }, () => {
  test('is an alert on the team page, not on the board, until the next review', async () => {
    const board = await env.must('controller', 'GET', '/api/board');
    const now = Date.parse(board.now);
    const tomorrow = londonDay(now, 1);
    await env.must('mh_team', 'POST', '/api/hiu/flags/flag-1/review', reviewBody(tomorrow, londonDay(now, 40)));
    assert.equal((await env.must('mh_team', 'GET', '/api/alerts?open=true')).filter((a) => a.type === 'hiu_review_due').length, 0);

    // To the review date (the start of that London day; at most a day on: sessions last 12 hours,
    // so everyone signs in again after).
    let seconds = 3600;
    while (londonDay(now + seconds * 1000) !== tomorrow) seconds += 3600;
    await env.must('admin', 'POST', '/api/admin/clock/advance', { seconds });
    const token = {};
    for (const role of ['mh_team', 'controller']) token[role] = await apiToken(env.server.url, role);
    const as = (role, method, path, body) => mustWith(env.server.url, token[role], method, path, body);

    const open = (await as('mh_team', 'GET', '/api/alerts?open=true')).filter((a) => a.type === 'hiu_review_due');
    assert.equal(open.length, 1, 'one alert for the flag');
    assert.equal(open[0].audience, 'mh_team');
    assert.equal(open[0].data.flag_id, 'flag-1');
    const later = await as('controller', 'GET', '/api/board');
    assert.equal(later.alerts.filter((a) => a.type === 'hiu_review_due').length, 0, 'not on the control room board');

    const page = await signIn(env.browser.context, env.server.url, 'mh_team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    const alert = page.getByTestId('hiu-review-alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /flag-1 \(CS\): its health-led review is due \(review date \w{3} \d{1,2} \w{3} \d{4}/);
    await alert.getByRole('button', { name: /^Show the flag/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-flag')), 'flag-1');
    await page.locator('[data-testid="hiu-flag"][data-flag="flag-1"][data-review-due="true"]').waitFor();
    await screenshot(page, 'team-review-due');
    assert.deepEqual(await accessibilityProblems(page), []);

    // The next review closes it, and the page says so without a reload.
    const day = Date.parse((await as('controller', 'GET', '/api/board')).now);
    await as('mh_team', 'POST', '/api/hiu/flags/flag-1/review', reviewBody(londonDay(day, 14), londonDay(day, 40)));
    await page.getByTestId('hiu-review-alerts').waitFor({ state: 'detached' });
    assert.equal((await as('mh_team', 'GET', '/api/alerts?open=true')).filter((a) => a.type === 'hiu_review_due').length, 0);
  });
});
