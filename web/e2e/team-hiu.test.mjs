// End-to-end: high-intensity-user work on the Mental Health Team screen against the real server, on
// a virtual clock. The team raises a flag on a person over a repeat-demand threshold (the server's
// refusals shown in the form), a flag whose review date has come says so and takes a new review,
// a case's SARA plan is never saved empty or closed as if saved when nothing changed (a cleared
// section is emptied), a learning recommendation past its due date says it is overdue, and a
// single organisation alert is counted in the singular.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, apiToken, screenshot, signIn, suiteEnvironment, usingMock } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-team-hiu', roles: ['mh_team', 'controller', 'admin'], extraArgs: ['--virtual-clock'] });
const { must } = env;

const kDays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const kMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Tue 29 Dec 2026" for "2026-12-29", as the page writes a day. */
const day = (ymd) => {
  const d = new Date(`${ymd}T12:00:00Z`);
  return `${kDays[d.getUTCDay()]} ${d.getUTCDate()} ${kMonths[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
/** The London day `days` after the server's now, as YYYY-MM-DD. */
const londonDay = (nowIso, days) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.parse(nowIso) + days * 86_400_000),
  );
const serverNow = async () => (await (await fetch(`${env.server.url}/api/health`)).json()).now;

/** Moves the virtual clock; sessions lapse with time, so every API token is taken again. */
async function advance(seconds) {
  await must('admin', 'POST', '/api/admin/clock/advance', { seconds });
  for (const role of Object.keys(env.tokens)) env.tokens[role] = await apiToken(env.server.url, role);
}

/** A person with five mental-health contacts this month: over the 30-day repeat-demand threshold. */
async function personOverThreshold(name) {
  const person = await must('mh_team', 'POST', '/api/persons', { name, date_of_birth: '1985-02-03', address: '4 Acre Lane, London SW2 5SG' }, 201);
  for (let i = 0; i < 5; i++) {
    const inc = await must(
      'controller',
      'POST',
      '/api/incidents',
      {
        channel: '999',
        location: { lat: 51.4613, lon: -0.1156, address: '4 Acre Lane', type: 'private_dwelling' },
        type: 'concern_for_welfare',
        grade: 'S',
        flags: ['mental_health'],
        description: `Neighbour worried about ${name}`,
      },
      201,
    );
    await must('mh_team', 'POST', `/api/incidents/${inc.id}/persons`, { person_id: person.id });
  }
  return person;
}

async function teamPage(role = 'mh_team') {
  const page = await signIn(env.browser.context, env.server.url, role);
  if (role !== 'mh_team') await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mental Health Team' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
  await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();
  return page;
}

describe('high-intensity-user work on the team screen', { skip: usingMock && 'the stand-in server has no team API' }, () => {
  test('the team raises a flag on a person over a threshold; refusals are shown in the form; supervisors cannot', async () => {
    const alex = await personOverThreshold('Alex Morgan');
    const page = await teamPage();
    const item = page.locator(`[data-testid="demand-person"][data-person="${alex.id}"]`);
    await item.waitFor();
    assert.match(await item.innerText(), /Alex Morgan .* 5 contacts in 30 days/);
    // The demo's person already has an open flag: nothing to raise there.
    assert.equal(await page.locator('[data-testid="demand-person"][data-person="person-1"]').getByRole('button', { name: /^Raise a flag/ }).count(), 0);

    await item.getByRole('button', { name: 'Raise a flag for Alex Morgan' }).click();
    const form = item.getByTestId('raise-flag');
    // Without a reason the server refuses, naming the field: it is marked and focused.
    await form.getByRole('button', { name: 'Raise the flag' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /reason is required/);
    const reason = form.getByLabel('Why the team raises the flag');
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    assert.deepEqual(await accessibilityProblems(page), []);

    await reason.fill('Five contacts this month from Acre Lane; for review with SLaM');
    await form.getByRole('button', { name: 'Raise the flag' }).click();
    const raised = item.getByTestId('flag-raised');
    await raised.waitFor();
    const flags = await must('mh_team', 'GET', '/api/hiu/flags');
    const flag = flags.flags.find((f) => f.subject.person_id === alex.id);
    assert.ok(flag, 'the server has the flag');
    assert.equal(flag.status, 'candidate');
    assert.equal(flag.reason, 'Five contacts this month from Acre Lane; for review with SLaM');
    assert.equal(flag.evidence.contacts, 5, 'raised with the repeat-demand evidence');
    assert.match(await raised.innerText(), new RegExp(`^Flag ${flag.id} raised: a candidate awaiting the health-led review`));
    // The new flag is in the list, the person's line names it, and there is nothing more to raise.
    const listed = page.locator(`[data-testid="hiu-flag"][data-flag="${flag.id}"][data-status="candidate"]`);
    await listed.waitFor();
    assert.match(await listed.innerText(), /Alex Morgan/);
    await item.getByText(`· flag ${flag.id}`).waitFor();
    assert.equal(await item.getByRole('button', { name: /^Raise a flag/ }).count(), 0);
    await raised.getByRole('button', { name: 'Go to the flag' }).click();
    assert.equal(await listed.evaluate((el) => el === document.activeElement), true, 'the flag has the focus');
    await screenshot(page, 'team-flag-raised');

    // Someone raises a flag first while the form is open: the server's refusal is shown in the form.
    const jo = await personOverThreshold('Jo Quinn');
    const joItem = page.locator(`[data-testid="demand-person"][data-person="${jo.id}"]`);
    await joItem.getByRole('button', { name: 'Raise a flag for Jo Quinn' }).click();
    await joItem.getByLabel('Why the team raises the flag').fill('Five contacts this month');
    await must('admin', 'POST', '/api/hiu/flags', { subject_type: 'person', subject_id: jo.id, reason: 'Raised at the same time' }, 201);
    await joItem.getByRole('button', { name: 'Raise the flag' }).click();
    assert.match(await joItem.getByTestId('refusal').innerText(), new RegExp(`Not recorded: ${jo.id} already has an open flag flag-\\d+`));
    await joItem.getByRole('button', { name: 'Cancel' }).click();
    // The live list has the other flag: nothing left to raise.
    await joItem.getByText(/· flag flag-\d+/).waitFor();
    assert.equal(await joItem.getByRole('button', { name: /^Raise a flag/ }).count(), 0);

    // Item 5: a BCU with one organisation alert says "1 alert".
    await page.getByLabel('BCU', { exact: true }).selectOption('EA');
    await page.getByRole('heading', { name: /^Repeat demand — EA/ }).waitFor();
    assert.equal(await page.getByTestId('team-organisation').locator('.pane-count').innerText(), '1 alert');
    assert.equal(await page.getByTestId('org-alert').count(), 1);
    await page.close();

    // Supervisors read repeat demand but may not raise flags (hiu.manage): no button.
    const sup = await teamPage('supervisor');
    await sup.locator(`[data-testid="demand-person"][data-person="${alex.id}"]`).waitFor();
    assert.equal(await sup.getByRole('button', { name: /^Raise a flag/ }).count(), 0);
    await sup.close();
  });

  test('a flag whose review date has come says so, shows its saved review, and takes a new review', async () => {
    const now = await serverNow();
    const reviewDate = londonDay(now, 10);
    await must('mh_team', 'POST', '/api/hiu/flags/flag-1/review', {
      health_lead: 'Dr Osei',
      health_organisation: 'South London and Maudsley NHS FT',
      lawful_basis: 'UK GDPR Art 9(2)(h); DPA 2018 Sch 1 para 2',
      rationale: 'Five contacts in 25 days; joint plan with the community team',
      review_date: reviewDate,
      expires_on: londonDay(now, 90),
    });
    const org = await must('mh_team', 'GET', '/api/team/organisation');
    const officer = org.bcus.find((b) => b.code === 'CS').posts.find((p) => p.holder?.function === 'high_intensity').holder;
    await must('mh_team', 'POST', '/api/hiu/flags/flag-1/decide', { decision: 'case', reason: 'Agreed with SLaM', owner_collar: officer.collar }, 201);
    await advance(11 * 86_400);
    const flag = await must('mh_team', 'GET', '/api/hiu/flags/flag-1');
    assert.equal(flag.review_due, true, 'the server says the review is due');

    const page = await teamPage();
    const item = page.locator('[data-testid="hiu-flag"][data-flag="flag-1"][data-status="case"]');
    await item.waitFor();
    assert.equal(await item.getByTestId('review-due').innerText(), `Review due since ${day(reviewDate)}`);
    const saved = await item.getByTestId('flag-review-saved').innerText();
    assert.match(saved, /Lawful basis\s+UK GDPR Art 9\(2\)\(h\); DPA 2018 Sch 1 para 2/);
    assert.match(saved, /Rationale\s+Five contacts in 25 days; joint plan with the community team/);
    assert.match(saved, new RegExp(`Review date\\s+${day(reviewDate)}`));
    assert.match(saved, /by Dr Osei \(South London and Maudsley NHS FT\)/);
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-flag-review-due');

    // A flag with a case takes a new review; it starts from the last one's lead, organisation and basis.
    await item.getByRole('button', { name: 'Record a new review for flag-1' }).click();
    const form = item.getByTestId('flag-review');
    assert.equal(await form.getByLabel('Health lead').inputValue(), 'Dr Osei');
    assert.equal(await form.getByLabel('Rationale').inputValue(), '');
    await form.getByLabel('Rationale').fill('Calls down to one in ten days; keep the plan running');
    const next = londonDay(await serverNow(), 60);
    await form.getByLabel('Review date (YYYY-MM-DD)').fill(next);
    await form.getByRole('button', { name: 'Save the new review' }).click();
    await item.getByTestId('flag-review-saved').filter({ hasText: day(next) }).waitFor();
    assert.equal(await item.getByTestId('review-due').count(), 0, 'no longer due');
    assert.match(await item.getByTestId('flag-review-saved').innerText(), /Calls down to one in ten days/);
    const after = await must('mh_team', 'GET', '/api/hiu/flags/flag-1');
    assert.equal(after.reviews.length, 2);
    assert.equal(after.review_due, false);
    await page.setViewportSize({ width: 390, height: 844 });
    await item.scrollIntoViewIfNeeded();
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'team-flag-reviewed-390');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('a SARA plan is not saved empty or unchanged, and a cleared section is emptied', async () => {
    const cases = await must('mh_team', 'GET', '/api/hiu/cases');
    const open = cases.cases.find((c) => c.flag_id === 'flag-1');
    assert.ok(open, 'the case from flag-1');
    const page = await teamPage();
    const item = page.locator(`[data-testid="hiu-case"][data-case="${open.id}"]`);
    await item.waitFor();
    const saved = async () => (await must('mh_team', 'GET', `/api/hiu/cases/${open.id}`)).sara;

    // Every box empty: said in the form, which stays open; nothing is sent.
    await item.getByRole('button', { name: 'Write the SARA plan' }).click();
    const plan = item.getByTestId('case-form-plan');
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    assert.equal(await plan.getByTestId('refusal').innerText(), 'Not sent: every section is empty. Write at least one section of the plan.');
    assert.equal(await plan.count(), 1, 'the form stays open');
    assert.deepEqual(await saved(), { scanning: '', analysis: '', response: '', assessment: '' });
    await plan.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-sara-empty');

    await plan.getByLabel('Scanning: the problem').fill('Five calls in 25 days from Coldharbour Lane');
    assert.equal(await plan.getByTestId('refusal').count(), 0, 'the message goes once something changes');
    await plan.getByLabel('Analysis: why it happens').fill('Evenings when the crisis line is busy');
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    await item.getByTestId('sara').filter({ hasText: 'Evenings when the crisis line is busy' }).waitFor();
    assert.equal(await item.getByTestId('case-form-plan').count(), 0, 'saved: the form closes');

    // A section cleared is emptied on the server, and goes from the plan shown.
    await item.getByRole('button', { name: 'Update the SARA plan' }).click();
    await plan.getByLabel('Analysis: why it happens').fill('');
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    await plan.waitFor({ state: 'detached' });
    await page.waitForFunction(
      (id) => !document.querySelector(`[data-case="${id}"] [data-testid="sara"]`)?.textContent?.includes('Evenings'),
      open.id,
    );
    assert.match(await item.getByTestId('sara').innerText(), /Five calls in 25 days/);
    assert.deepEqual(await saved(), { scanning: 'Five calls in 25 days from Coldharbour Lane', analysis: '', response: '', assessment: '' });

    // Nothing changed: not sent, and the form says so rather than closing as if saved.
    await item.getByRole('button', { name: 'Update the SARA plan' }).click();
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    assert.equal(await plan.getByTestId('refusal').innerText(), 'Not sent: nothing has changed: the plan is as saved. Change a section, or cancel.');
    assert.equal(await plan.count(), 1);
    // Clearing the last section would leave the plan empty: refused too.
    await plan.getByLabel('Scanning: the problem').fill('');
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    assert.match(await plan.getByTestId('refusal').innerText(), /^Not sent: every section is empty/);
    await plan.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await saved()).scanning, 'Five calls in 25 days from Coldharbour Lane');
    await page.close();
  });

  test('a learning recommendation past its due date says it is overdue', async () => {
    const { recommendations } = await must('mh_team', 'GET', '/api/learning-recommendations');
    const latest = recommendations.map((r) => r.due_on).sort().at(-1);
    const wait = Math.ceil((Date.parse(`${latest}T23:59:59Z`) - Date.parse(await serverNow())) / 1000) + 2 * 86_400;
    if (wait > 0) await advance(wait);
    const page = await teamPage();
    const recs = page.getByTestId('learning-rec');
    assert.equal(await recs.count(), recommendations.length);
    for (const r of await recs.all()) {
      assert.equal(await r.getAttribute('data-overdue'), 'true');
      assert.match(await r.innerText(), /due \w{3} \d{1,2} \w{3} \d{4} \(overdue\)/);
    }
    await page.getByTestId('learning').scrollIntoViewIfNeeded();
    await screenshot(page, 'team-learning-overdue');
    await page.close();
  });
});
