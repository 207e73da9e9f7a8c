// End-to-end: the Mental Health Team screen against the real server's demo
// data. The team's sergeant sees the organisation alerts, the repeat-demand
// list with its evidence, reviews a high-intensity-user flag (health-led: a
// police organisation is refused, with the rule) and opens a case, reads the
// training coverage chart, closes a liaison action and reads the learning
// register. A supervisor sees the organisation but not the HIU work.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityProblems, apiToken, launchBrowser, screenshot, signIn, startConcordat, usingMock } from './harness.mjs';

let server;
let browser;
let token;

before(async () => {
  server = await startConcordat({ name: 'server-team' });
  browser = await launchBrowser();
  token = await apiToken(server.url, 'mh_team');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function get(path) {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the Mental Health Team screen', { skip: usingMock && 'the stand-in server has no team API' }, () => {
  test('repeat demand with evidence, a flag reviewed and made a case, training, liaison and learning', async () => {
    const page = await signIn(browser.context, server.url, 'mh_team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    await page.getByTestId('freshness').filter({ hasText: 'Live' }).waitFor();

    // Organisation alerts (org_vacancy) from the demo: a BCU below strength, one with no liaison officer.
    const alerts = page.getByTestId('org-alert');
    assert.ok((await alerts.count()) >= 1, 'organisation alerts are shown');
    assert.match(await page.getByTestId('team-organisation').innerText(), /no Mental Health Liaison Officer|below strength/);

    // Repeat demand: the demo person over the 30-day threshold, with the contributing incidents.
    const person = page.locator('[data-testid="demand-person"][data-person="person-1"]');
    await person.waitFor();
    assert.match(await person.innerText(), /Sam Taylor .* 5 contacts in 30 days/);
    await person.getByText(/^Evidence: 5 contributing incidents$/).click();
    assert.equal(await person.locator('details li a').count(), 5, 'each contributing incident is listed with a link');
    await screenshot(page, 'team-1366', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    // Another BCU: nobody over a threshold there.
    await page.getByLabel('BCU', { exact: true }).selectOption('AW');
    await page.getByRole('heading', { name: /^Repeat demand — AW/ }).waitFor();
    await page.getByTestId('repeat-demand').getByText('No person over a threshold.').waitFor();
    await page.getByLabel('BCU', { exact: true }).selectOption('CS');
    await page.getByRole('heading', { name: /^Repeat demand — CS/ }).waitFor();

    // The flag: a health-led review. A police organisation is refused with the rule.
    const flag = page.locator('[data-testid="hiu-flag"][data-flag="flag-1"]');
    await flag.getByRole('button', { name: /^Record the health-led review/ }).click();
    const review = flag.getByTestId('flag-review');
    await review.getByLabel('Health lead').fill('Dr Osei');
    await review.getByLabel('Health organisation').fill('Metropolitan Police Service');
    await review.getByLabel('Lawful basis for sharing').fill('UK GDPR Art 9(2)(h); DPA 2018 Sch 1 para 2');
    await review.getByLabel('Rationale').fill('Five contacts in 25 days; joint plan with the community team');
    await review.getByRole('button', { name: 'Save the review' }).click();
    assert.match(await review.getByTestId('refusal').innerText(), /the review is health-led/);
    await review.getByLabel('Health organisation').fill('South London and Maudsley NHS FT');
    await review.getByRole('button', { name: 'Save the review' }).click();
    await page.locator('[data-testid="hiu-flag"][data-flag="flag-1"][data-status="reviewed"]').waitFor();

    // Decide: a case owned by the BCU's high-intensity intervention officer.
    const org = await get('/api/team/organisation');
    const cs = org.bcus.find((b) => b.code === 'CS');
    const hiuOfficer = cs.posts.find((p) => p.holder?.function === 'high_intensity')?.holder;
    assert.ok(hiuOfficer, 'CS has a high-intensity intervention officer');
    await flag.getByRole('button', { name: /^Decide: case or no action/ }).click();
    const decide = flag.getByTestId('flag-decide');
    await decide.getByLabel('Reason', { exact: true }).fill('Agreed with SLaM: joint SARA plan');
    await decide.getByLabel('Case owner (high-intensity officer’s collar)').fill(hiuOfficer.collar);
    await decide.getByRole('button', { name: 'Save the decision' }).click();
    await page.locator('[data-testid="hiu-flag"][data-flag="flag-1"][data-status="case"]').waitFor();
    const caseItem = page.getByTestId('hiu-case').first();
    await caseItem.waitFor();
    assert.match(await caseItem.innerText(), new RegExp(`owner ${hiuOfficer.name}`));
    assert.match(await caseItem.innerText(), /Opened less than a day ago: demand before and after is compared in equal windows/);

    // Case work: the SARA plan, an action, the action done.
    await caseItem.getByRole('button', { name: 'Write the SARA plan' }).click();
    const plan = caseItem.getByTestId('case-form-plan');
    await plan.getByLabel('Scanning: the problem').fill('Five calls in 25 days from Coldharbour Lane');
    await plan.getByLabel('Analysis: why it happens').fill('Evenings when the crisis line is busy');
    await plan.getByLabel('Response: what the partners will do').fill('SLaM care coordinator calls at 6 pm');
    await plan.getByLabel('Assessment: how we will know it worked').fill('Calls in the next 90 days');
    await plan.getByRole('button', { name: 'Save the plan' }).click();
    await caseItem.getByTestId('sara').filter({ hasText: 'SLaM care coordinator calls at 6 pm' }).waitFor();
    await caseItem.getByRole('button', { name: 'Add an action' }).click();
    const add = caseItem.getByTestId('case-form-action');
    await add.getByLabel('Action', { exact: true }).fill('Joint visit with the care coordinator');
    await add.getByLabel('Owner').fill(hiuOfficer.name);
    await add.getByLabel('Due on (YYYY-MM-DD)').fill('2000-01-01');
    await add.getByRole('button', { name: 'Add the action' }).click();
    assert.match(await add.getByTestId('refusal').innerText(), /due on is in the past/);  // the field's path read as words
    await add.getByLabel('Due on (YYYY-MM-DD)').fill('2099-01-01');
    await add.getByRole('button', { name: 'Add the action' }).click();
    const act = caseItem.locator('[data-testid="case-action"][data-status="open"]');
    await act.waitFor();
    await act.getByRole('button', { name: /^Done/ }).click();
    await caseItem.locator('[data-testid="case-action"][data-status="done"]').waitFor();

    // Training coverage: one bar per BCU shown (CS only now), then all twelve.
    await page.getByLabel('BCU', { exact: true }).selectOption('');
    await page.getByRole('heading', { name: /^Repeat demand — all BCUs/ }).waitFor();
    const chart = page.getByTestId('training-chart');
    assert.equal(await chart.locator('rect.bar').count(), 12);
    assert.match(await chart.getAttribute('aria-label'), /^Training coverage per BCU: AW Central West \d+ of \d+ \([\d.]+%\)/);

    // Who is due or overdue a refresher: the server's list, overdue first (longest first), with the days.
    const due = await get('/api/training/due');
    assert.ok(due.overdue > 0 && due.due > 0, 'the demo has refreshers both overdue and due');
    const dueRows = page.getByTestId('training-due-row');
    await page.getByTestId('training-due').locator('.pane-count').filter({ hasText: `all BCUs: ${due.overdue} overdue, ${due.due} due` }).waitFor();
    assert.equal(await dueRows.count(), due.officers.length);
    const statuses = await dueRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    assert.deepEqual(statuses, [...Array(due.overdue).fill('overdue'), ...Array(due.due).fill('due')], 'overdue first');
    const most = Math.min(...due.officers.map((o) => o.days_to_due));
    const first = await dueRows.first().innerText();
    assert.ok(first.includes(`Overdue by ${-most} days`), first);
    assert.ok(due.officers.some((o) => o.days_to_due === most && first.includes(o.collar)), first);
    assert.match(await dueRows.nth(due.overdue).innerText(), /Due (today|in \d+ days?)/);
    await page.getByTestId('training-due').scrollIntoViewIfNeeded();
    await screenshot(page, 'team-training-due');

    // Liaison: the overdue action, marked done.
    const overdue = page.locator('[data-testid="liaison-action"][data-action="meet-1-a1"]');
    assert.match(await overdue.innerText(), /Share handover-wait figures for October .* \(overdue\)/);
    await overdue.getByRole('button', { name: /^Mark done/ }).click();
    await overdue.waitFor({ state: 'detached' });

    // Liaison: a meeting recorded through the form. A date still to come is refused, and so is an
    // action due before the meeting, each at its field; then it is saved and listed with its action.
    const agency = (await get('/api/agencies')).find((a) => a.status === 'active');
    const liaison = page.getByTestId('liaison');
    await liaison.getByRole('button', { name: 'Record a liaison meeting' }).click();
    const meet = liaison.getByTestId('record-meeting');
    await meet.getByLabel('BCU of the meeting').selectOption('CS');
    await meet.getByLabel('Agency met').selectOption({ label: agency.name });
    const today = await meet.getByLabel('Date of the meeting (YYYY-MM-DD)').inputValue();
    assert.match(today, /^\d{4}-\d\d-\d\d$/, 'the date starts as today');
    await meet.getByLabel('Date of the meeting (YYYY-MM-DD)').fill('2099-01-01');
    await meet.getByLabel('Who attended').fill('DS Khan\n\nDr Osei');
    await meet.getByLabel('Minutes (optional)').fill('Handover waits at the emergency department');
    await meet.getByLabel('Action 2', { exact: true }).fill('Joint audit of November handovers');
    await meet.getByLabel('Action 2 owner').fill('Insp Ward');
    await meet.getByRole('button', { name: 'Save the meeting' }).click();
    assert.match(await meet.getByTestId('refusal').innerText(), /date is in the future/);
    assert.equal(await meet.getByLabel('Date of the meeting (YYYY-MM-DD)').getAttribute('aria-invalid'), 'true');
    await meet.getByLabel('Date of the meeting (YYYY-MM-DD)').fill(today);
    await meet.getByLabel('Action 2 due on (YYYY-MM-DD)').fill('2000-01-01');
    await meet.getByRole('button', { name: 'Save the meeting' }).click();
    assert.match(await meet.getByTestId('refusal').innerText(), /Action 2: due is before the meeting/);
    assert.equal(await meet.getByLabel('Action 2 due on (YYYY-MM-DD)').getAttribute('aria-invalid'), 'true');
    await meet.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-meeting-refused');
    await meet.getByLabel('Action 2 due on (YYYY-MM-DD)').fill('2099-02-01');
    await meet.getByRole('button', { name: 'Save the meeting' }).click();
    await liaison.getByTestId('meeting-saved').waitFor();
    const listed = liaison.getByTestId('liaison-meeting').filter({ hasText: agency.name });
    await listed.waitFor();
    assert.match(await listed.innerText(), /CS with .*Attended: DS Khan, Dr Osei · 1 action/s);
    const newAction = liaison.getByTestId('liaison-action').filter({ hasText: 'Joint audit of November handovers' });
    await newAction.waitFor();
    const actionText = await newAction.innerText();
    assert.ok(actionText.includes('Insp Ward') && actionText.includes(`CS with ${agency.name}`), actionText);
    const meetings = await get('/api/liaison-meetings');
    const saved = meetings.find((m) => m.actions.some((a) => a.text === 'Joint audit of November handovers'));
    assert.deepEqual(saved.attendees, ['DS Khan', 'Dr Osei']);
    assert.equal(saved.agency_id, agency.id);
    await liaison.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-meeting-recorded');

    // Learning register: IOPC PC/2334/19 recommendations 001–003 with the force's responses.
    const recs = page.getByTestId('learning-rec');
    assert.equal(await recs.count(), 3);
    assert.match(await recs.first().innerText(), /PC\/2334\/19 .*001.*Not accepted as a whole/s);
    await screenshot(page, 'team-1366-after', { fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'team-390', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('the missing liaison officer of North put in post from the screen, the alert gone; then the post vacated again', async () => {
    const page = await signIn(browser.context, server.url, 'mh_team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    const org = page.getByTestId('team-organisation');
    await org.getByTestId('posts-hint').filter({ hasText: 'Choose a BCU above to see its posts and fill or vacate them.' }).waitFor();
    // From the alert straight to the posts that would clear it.
    const noLiaison = org.getByTestId('org-alert').filter({ hasText: 'has no Mental Health Liaison Officer' });
    await noLiaison.getByRole('button', { name: 'Show the posts of NA' }).click();
    await org.getByRole('heading', { name: /^Posts — NA North/ }).waitFor();
    assert.equal(await page.getByLabel('BCU', { exact: true }).inputValue(), 'NA');
    assert.equal(await noLiaison.getByRole('button').count(), 0, 'no button once the BCU is chosen');
    const post = org.locator('[data-testid="team-post"][data-post="NA-liaison"]');
    assert.equal(await post.getAttribute('data-vacant'), 'true');
    assert.match(await post.getByTestId('post-state').innerText(), /^Vacant/);

    // A collar that already holds another post is refused, with the post it holds.
    const sergeant = (await get('/api/team/organisation?bcu=NA')).bcus[0].posts.find((p) => p.kind === 'sergeant').holder;
    await post.getByRole('button', { name: 'Fill the post of Mental Health Liaison Officer (NA-liaison)' }).click();
    const form = post.getByTestId('post-assign');
    assert.equal(await form.getByLabel('Rank').inputValue(), 'PC');
    await form.getByLabel('Collar number').fill(sergeant.collar);
    await form.getByLabel('Name').fill('Priya Shah');
    await form.getByRole('button', { name: 'Put in post' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), new RegExp(`${sergeant.collar} already holds post NA-sergeant`));
    await form.getByLabel('Collar number').fill('NA-MH900');
    await form.getByRole('button', { name: 'Put in post' }).click();
    await org.locator('[data-testid="team-post"][data-post="NA-liaison"][data-vacant="false"]').waitFor();
    assert.match(await post.getByTestId('post-state').innerText(), /^PC Priya Shah \(NA-MH900\), in post since \w{3} \d{1,2} \w{3} \d{4}$/);
    // The organisation alert is closed by the change itself, on this screen and for the supervisors.
    await noLiaison.waitFor({ state: 'detached' });
    const open = await get('/api/alerts?open=true');
    assert.equal(open.filter((a) => a.type === 'org_vacancy' && a.data?.bcu === 'NA').length, 0);
    assert.match(await org.locator('tr').filter({ hasText: 'NA North' }).innerText(), /In post/);
    await org.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-post-filled');

    // Vacated again (reason required): the alert is back at once.
    await post.getByRole('button', { name: 'Vacate the post of Mental Health Liaison Officer (NA-liaison)' }).click();
    const vacate = post.getByTestId('post-vacate');
    await vacate.getByRole('button', { name: 'Vacate the post' }).click();
    assert.match(await vacate.getByTestId('refusal').innerText(), /reason is required/);
    await vacate.getByLabel('Why the post falls vacant').fill('Transferred to another BCU');
    await vacate.getByRole('button', { name: 'Vacate the post' }).click();
    await org.locator('[data-testid="team-post"][data-post="NA-liaison"][data-vacant="true"]').waitFor();
    await noLiaison.waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await post.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-posts-390');
    await page.close();
  });

  test('progress on a learning recommendation recorded from the register', async () => {
    const page = await signIn(browser.context, server.url, 'mh_team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    const rec = page.getByTestId('learning-rec').filter({ hasText: '2019/122222/003' });
    assert.equal(await rec.getAttribute('data-status'), 'open');
    await rec.getByRole('button', { name: /^Record progress on IOPC .*2019\/122222\/003$/ }).click();
    const form = rec.getByTestId('learning-update');
    assert.equal(await form.getByLabel('Status').inputValue(), 'open', 'the form starts at the status it has');
    // Nothing changed is no progress: refused, nothing logged.
    await form.getByRole('button', { name: 'Save the progress' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /give a status, evidence or an action update/);
    await form.getByLabel('Status').selectOption('in_progress');
    await form.getByLabel('Evidence to add (optional)').fill('Repeat-demand reviews held in CS and AW, November');
    assert.equal(await form.getByLabel('The action’s status').count(), 0, 'no action chosen: nothing asked of one');
    await form.getByLabel('An action’s progress (optional)').selectOption({ label: '1. Repeat-demand review and health-led HIU cases in every BCU' });
    await form.getByLabel('The action’s status').selectOption('done');
    await form.getByLabel('The action’s evidence (optional)').fill('Reviews minuted in every BCU');
    await form.getByRole('button', { name: 'Save the progress' }).click();
    await page.locator('[data-testid="learning-rec"][data-status="in_progress"]').filter({ hasText: '2019/122222/003' }).waitFor();
    await rec.getByText('Rationale, actions and evidence').click();
    const text = await rec.innerText();
    assert.ok(text.includes('Evidence: Repeat-demand reviews held in CS and AW, November'), text);
    assert.match(text, /Repeat-demand review and health-led HIU cases in every BCU — .*, done \(evidence: Reviews minuted in every BCU\)/);
    const saved = (await get('/api/learning-recommendations')).recommendations.find((r) => r.number === '2019/122222/003');
    assert.equal(saved.status, 'in_progress');
    assert.equal(saved.actions[0].status, 'done');
    assert.ok(saved.evidence.includes('Repeat-demand reviews held in CS and AW, November'));
    await rec.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-learning-progress');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('training completions recorded by hand and imported from a file', async () => {
    const page = await signIn(browser.context, server.url, 'mh_team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    const training = page.getByTestId('training');
    await training.getByRole('button', { name: 'Record a completion' }).click();
    const rec = training.getByTestId('record-completion');
    const today = await rec.getByLabel('Completed on (YYYY-MM-DD)').inputValue();
    assert.match(today, /^\d{4}-\d\d-\d\d$/, 'the day starts as today');
    await rec.getByLabel('Collar number').fill('CS-T900');
    await rec.getByLabel('Officer’s name').fill('Sam Okoro');
    await rec.getByLabel('Officer’s BCU').selectOption('CS');
    await rec.getByLabel('Course').selectOption('mh-one-day');
    await rec.getByLabel('Completed on (YYYY-MM-DD)').fill('2099-01-01');
    await rec.getByRole('button', { name: 'Record the completion' }).click();
    assert.match(await rec.getByTestId('refusal').innerText(), /completed on is in the future/);
    await rec.getByLabel('Completed on (YYYY-MM-DD)').fill(today);
    await rec.getByRole('button', { name: 'Record the completion' }).click();
    assert.match(await training.getByTestId('completion-recorded').innerText(), /^Recorded: One-day mental health training .*, Sam Okoro \(CS-T900\), completed /);
    const officer = await get('/api/training/officers/CS-T900');
    assert.deepEqual(officer.completions.map((c) => [c.course_id, c.completed_on, c.source]), [['mh-one-day', today, 'recorded']]);

    // A file: two new rows, one already recorded (skipped), one with an unknown course (rejected).
    const csv = ['collar,name,bcu,course,completed_on', `CS-T901,Ama Boateng,CS,mh-one-day,${today}`, `CS-T902,Lee Park,AW,respond,${today}`, `CS-T900,Sam Okoro,CS,mh-one-day,${today}`, `CS-T903,Jo Ray,CS,no-such-course,${today}`].join('\n');
    await training.getByRole('button', { name: 'Import completions (CSV)' }).click();
    const imp = training.getByTestId('import-completions');
    await imp.getByRole('button', { name: 'Import' }).click();
    assert.match(await imp.getByTestId('refusal').innerText(), /Choose the CSV file to import/);
    await imp.getByLabel('CSV file').setInputFiles({ name: 'learning-system.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await imp.getByRole('button', { name: 'Import' }).click();
    const result = imp.getByTestId('import-result');
    await result.filter({ hasText: 'Nothing imported' }).waitFor();
    assert.match(await result.innerText(), /Nothing imported: 1 row of 4 could not be read.*\(1 row would be skipped\)/s);
    assert.match(await imp.getByTestId('import-rejected').innerText(), /Line 5 \(CS-T903\): unknown course 'no-such-course'/);
    assert.equal((await fetch(`${server.url}/api/training/officers/CS-T901`, { headers: { Authorization: `Bearer ${token}` } })).status, 404, 'nothing of the file was imported');
    await imp.getByLabel('Import the rest, and list them').check();
    await imp.getByRole('button', { name: 'Import' }).click();
    await result.filter({ hasText: 'Imported 2 of 4 rows; 1 row skipped (already recorded or repeated); 1 row rejected.' }).waitFor();
    assert.match(await imp.getByTestId('import-skipped').innerText(), /Line 4 \(CS-T900\): already recorded/);
    for (const collar of ['CS-T901', 'CS-T902']) {
      const o = await get(`/api/training/officers/${collar}`);
      assert.deepEqual(o.completions.map((c) => [c.completed_on, c.source]), [[today, 'import']], collar);
    }
    await imp.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-training-import');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('information sharing: an agreement recorded and revoked by a supervisor, a protocol added by the team', async () => {
    const page = await signIn(browser.context, server.url, 'supervisor');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mental Health Team' }).click();
    const sharing = page.getByTestId('sharing');
    await sharing.waitFor();
    assert.equal(await sharing.locator('[data-testid="agreement-row"][data-state="active"]').count(), 4, 'the demo’s four agreements in force');
    assert.match(await sharing.getByTestId('agreement-row').filter({ hasText: 'South London and Maudsley' }).innerText(), /Discloses: Incident summary, Location, Mental-health flags, Person identity, Detention record, Health information/);

    await sharing.getByRole('button', { name: 'Record an agreement' }).click();
    const form = sharing.getByTestId('record-agreement');
    await form.getByLabel('Partner agency').selectOption({ label: 'Oxleas NHS Foundation Trust' });
    await form.getByLabel('Incident summary').check();
    await form.getByLabel('Location', { exact: true }).check();
    await form.getByLabel('Lawful basis: condition').fill('Sch 1 para 2 (health or social care)');
    await form.getByLabel('Purpose').fill('Street triage in Bexley, Bromley and Greenwich');
    const start = await form.getByLabel('In force from (YYYY-MM-DD)').inputValue();
    await form.getByLabel('Last day in force (YYYY-MM-DD)').fill('2000-01-01');
    await form.getByRole('button', { name: 'Record the agreement' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /end must be after start/);
    assert.equal(await form.getByLabel('Last day in force (YYYY-MM-DD)').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Last day in force (YYYY-MM-DD)').fill('2099-03-31');
    await form.getByLabel('Review on (YYYY-MM-DD)').fill('2098-12-01');
    await form.getByRole('button', { name: 'Record the agreement' }).click();
    const oxleas = sharing.getByTestId('agreement-row').filter({ hasText: 'Oxleas NHS Foundation Trust' });
    await oxleas.waitFor();
    assert.equal(await oxleas.getAttribute('data-state'), 'active');
    const text = await oxleas.innerText();
    assert.ok(text.includes('In force to the end of Tue 31 Mar 2099') && text.includes('Discloses: Incident summary, Location'), text);
    const saved = (await get('/api/sharing-agreements')).find((a) => a.agency_id === 'trust-oxleas');
    assert.deepEqual(saved.categories, ['incident_summary', 'location']);
    assert.equal(saved.end, '2099-03-31T23:00:00.000000Z', 'in force to the end of the last day, London (BST)');
    assert.equal(saved.start.slice(0, 10) <= start, true);

    // Revoked: disclosure under it stops at once (the server's check), and the list says so.
    await oxleas.getByRole('button', { name: 'Revoke the agreement with Oxleas NHS Foundation Trust' }).click();
    const revoke = oxleas.getByTestId('revoke-agreement');
    await revoke.getByLabel('Why it is revoked').fill('Superseded by the south-east London partnership agreement');
    await revoke.getByRole('button', { name: 'Revoke the agreement' }).click();
    await sharing.locator(`[data-testid="agreement-row"][data-agreement="${saved.id}"][data-state="revoked"]`).waitFor();
    assert.equal((await get('/api/sharing-agreements')).find((a) => a.id === saved.id).active, false);
    await sharing.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-sharing-supervisor');
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();

    // The team adds a protocol to the register; it may not record agreements.
    const team = await signIn(browser.context, server.url, 'mh_team');
    const sh = team.getByTestId('sharing');
    await sh.waitFor();
    assert.equal(await sh.getByRole('button', { name: 'Record an agreement' }).count(), 0);
    await sh.getByRole('button', { name: 'Add to the register' }).click();
    const reg = sh.getByTestId('add-register');
    await reg.getByLabel('Kind').selectOption('protocol');
    await reg.getByLabel('Title').fill('Section 136 conveyance protocol');
    await reg.getByLabel('Parties').fill('Metropolitan Police Service\n\nLondon Ambulance Service NHS Trust');
    await reg.getByRole('button', { name: 'Add to the register' }).click();
    const entry = sh.getByTestId('register-entry').filter({ hasText: 'Section 136 conveyance protocol' });
    await entry.waitFor();
    assert.match(await entry.innerText(), /active · Metropolitan Police Service, London Ambulance Service NHS Trust/);
    await team.close();
  });

  test('a supervisor sees the organisation and repeat demand, not the HIU work', async () => {
    const page = await signIn(browser.context, server.url, 'supervisor');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mental Health Team' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    await page.getByTestId('team-organisation').waitFor();
    await page.getByTestId('repeat-demand').waitFor();
    assert.equal(await page.getByTestId('hiu-flags').count(), 0);
    assert.equal(await page.getByTestId('hiu-cases').count(), 0);
    // The posts, read only: supervisors see who holds what, the team fills and vacates them.
    await page.getByLabel('BCU', { exact: true }).selectOption('EA');
    await page.getByTestId('team-posts').getByRole('heading', { name: /^Posts — EA/ }).waitFor();
    assert.ok((await page.getByTestId('team-post').count()) > 0);
    assert.equal(await page.getByRole('button', { name: /^(Fill the post|Vacate|Record progress|Record a completion|Import completions)/ }).count(), 0);
    // "On this page" moves within the page; it is not taken for another screen.
    await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Learning' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'team-learning-h');
    assert.equal(await page.evaluate(() => window.location.hash), '#/team');
    await page.getByRole('heading', { level: 1, name: 'Mental Health Team' }).waitFor();
    await page.close();
  });
});
