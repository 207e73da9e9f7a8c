// End-to-end: an s136 walked through from the officer view on a 390-px phone,
// against the real server. The officer opens the mental-health records of the
// incident their unit is at, records the decision to detain, and goes step by
// step to the outcome. Where the law says no, the server's 422 names the rule
// and the form shows it next to the step: s136(1A) in a dwelling, s136A for a
// child at a police station, s136B(2) for an extension while waiting for a
// bed, MCA s6(1) for restraint without a capacity record. Then the NDM,
// capacity, restraint and use-of-force records.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-mh', roles: ['controller', 'officer'] });

const must = env.must;

/** A grade S concern-for-welfare call flagged mental health, in Brixton, made by the controller. */
const mentalHealthCall = (channel, address, locationType, description) =>
  must(
    'controller',
    'POST',
    '/api/incidents',
    {
      channel,
      location: { lat: 51.4613, lon: -0.1156, address, type: locationType },
      type: 'concern_for_welfare',
      grade: 'S',
      flags: ['mental_health'],
      description,
    },
    201,
  );

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Submits a step's form and waits for the server's refusal; returns its text. */
async function refused(form, button) {
  const r = form.getByTestId('refusal');
  // A refusal already on screen stays until the next answer: wait for that one, not the old.
  const before = (await r.count()) > 0 ? await r.innerText() : null;
  await form.getByRole('button', { name: button }).click();
  await r.waitFor();
  for (let i = 0; i < 100 && before !== null && (await r.innerText()) === before; i += 1) {
    await new Promise((done) => setTimeout(done, 100));
  }
  return r.innerText();
}

describe('the s136 record from the officer view', { skip: usingMock && 'the stand-in server has no mental-health pathway' }, () => {
  test('an s136 from decision to outcome, with the rule named wherever the law blocks', async () => {
    const page = await signIn(env.browser.context, env.server.url, 'officer', { prepare: (p) => p.setViewportSize({ width: 390, height: 844 }) });
    await page.getByRole('heading', { level: 1, name: /AW11/ }).waitFor();
    const mine = page.getByTestId('my-assignment').first();
    await mine.waitFor();
    const incidentId = await mine.getAttribute('data-incident');
    await mine.getByTestId('mh-link').click();

    // The incident's mental-health records.
    await page.getByTestId('mh-page').waitFor();
    await page.getByRole('heading', { level: 1, name: /^Mental-health records — CAD/ }).waitFor();
    await page.getByRole('button', { name: 'Start a detention record (s136 / s135)' }).click();
    const decision = page.getByTestId('form-decision');
    // The power is chosen, never assumed: until it is, neither s136's grounds nor s135's warrant is asked.
    assert.equal(await decision.getByLabel('Power').inputValue(), '');
    assert.equal(await decision.getByLabel('The person appears to be suffering from mental disorder because…').count(), 0);
    await decision.getByLabel('Power').selectOption('s136');
    await decision.getByLabel('Where the person was found').selectOption('private_dwelling');
    await decision.getByLabel('The person appears to be suffering from mental disorder because…').fill('Responding to voices, says the traffic is talking to him');
    await decision.getByLabel('They are in immediate need of care or control because…').fill('Walking in and out of traffic on the bridge');
    await decision.getByLabel('Removal is necessary in their interests or for others’ protection because…').fill('Immediate risk of serious injury');
    await decision.getByLabel('Consulted: name').fill('Nurse Okafor, street triage');
    await decision.getByLabel('Consulted: role').selectOption('registered_nurse');
    await decision.getByLabel('Advice given').fill('A place of safety is needed; no alternative tonight');
    await decision.getByLabel('Age (years)').fill('16');
    // Sex and ethnicity go to the Home Office annual return (RULES A15); "Not stated" is a choice.
    await decision.getByLabel('Sex (optional)').selectOption({ label: 'Male' });
    await decision.getByLabel('Ethnicity (optional, as the person defines it)').selectOption({ label: 'Not stated' });
    const dwelling = await refused(decision, 'Record the decision to detain');
    assert.match(dwelling, /^Not allowed: s136\(1A\): section 136 may not be used in a house, flat or room where a person lives/);
    assert.equal(await decision.getByLabel('Where the person was found').getAttribute('aria-invalid'), 'true', 'the field the rule is about is marked');
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'mh-390-refused-dwelling', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    await decision.getByLabel('Where the person was found').selectOption('public_place');
    await decision.getByRole('button', { name: 'Record the decision to detain' }).click();

    // The detention, step by step.
    const detPage = page.getByTestId('detention-page');
    await detPage.waitFor();
    await page.getByRole('heading', { level: 1, name: /^s136 detention det-\d+$/ }).waitFor();
    const detId = (await page.getByRole('heading', { level: 1 }).innerText()).split(' ').pop();
    assert.equal(await page.getByTestId('clock').innerText(), 'Clock not started: it starts on arrival at the place of safety');
    // What the decision rests on, as recorded: the grounds, who was consulted and their advice; the person.
    const grounds = page.getByTestId('detention-grounds');
    assert.equal(await grounds.getByRole('heading', { level: 2 }).innerText(), 'Grounds and consultation');
    const groundsText = await grounds.innerText();
    for (const said of ['Responding to voices, says the traffic is talking to him', 'Walking in and out of traffic on the bridge', 'Immediate risk of serious injury', 'A place of safety is needed; no alternative tonight']) {
      assert.ok(groundsText.includes(said), `the grounds show "${said}"`);
    }
    assert.match(groundsText, /Consulted\s+Nurse Okafor, street triage \(Registered nurse\), \d\d:\d\d/);
    assert.match(await detPage.innerText(), /Person: 16 years — treated as a child \(under 18\) · Male · ethnicity not stated · Decided/);
    assert.equal(await page.getByTestId('step-place').getAttribute('data-state'), 'next');
    await page.getByTestId('suggestions').waitFor();
    await screenshot(page, 'mh-390-detention-new', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);

    // A 16-year-old may not go to a police station (s136A): the rule is shown in the step.
    const place = page.getByTestId('form-place');
    await place.getByLabel('Kind of place').selectOption('police_station');
    await place.getByLabel('Police station', { exact: true }).fill('Brixton');
    const child = await refused(place, 'Record the place of safety');
    assert.match(child, /s136A: a person under 18 may not be taken to a police station/);
    assert.equal(await page.getByTestId('step-place').getByTestId('refusal').count(), 1, 'the refusal is inside the place-of-safety step');
    await screenshot(page, 'mh-390-refused-child-police-station', { fullPage: true });

    await place.getByLabel('Kind of place').selectOption('hbpos');
    const maudsley = await place.getByLabel('Health-based place of safety').locator('option', { hasText: 'Maudsley' }).first().getAttribute('value');
    await place.getByLabel('Health-based place of safety').selectOption(maudsley);
    await place.getByRole('button', { name: 'Record the place of safety' }).click();
    await page.locator('[data-testid="step-place"][data-state="done"]').waitFor();
    assert.match(await page.getByTestId('step-place').innerText(), /Health-based place of safety: .*Maudsley/);
    await page.waitForFunction(() => document.activeElement?.id === 'step-conveyance-h'); // focus moves on to the next step

    // Conveyance: a police vehicle needs a reason (the server's words), an ambulance does not.
    const conv = page.getByTestId('form-conveyance');
    await conv.getByLabel('Transport').selectOption('police_vehicle');
    assert.match(await refused(conv, 'Record the conveyance'), /a police vehicle needs a recorded reason/);
    await conv.getByLabel('Transport').selectOption('ambulance');
    await conv.getByRole('button', { name: 'Record the conveyance' }).click();
    await page.locator('[data-testid="step-conveyance"][data-state="done"]').waitFor();

    // Arrival starts the 24-hour clock, which the officer's unit view shows too.
    await page.getByTestId('form-arrival').getByRole('button', { name: 'Record the arrival' }).click();
    await page.locator('[data-testid="step-arrival"][data-state="done"]').waitFor();
    await page.getByTestId('clock').filter({ hasText: /^Ends .* — 2[34] h \d\d min left/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My unit' }).click();
    const myDetention = page.locator(`[data-testid="my-assignment"][data-incident="${incidentId}"] [data-testid="my-detention"]`);
    await myDetention.filter({ hasText: /Ends .* left/ }).waitFor();
    await screenshot(page, 'mh-390-my-unit-clock', { fullPage: true });
    await myDetention.getByRole('link').click();
    await page.getByTestId('detention-page').waitFor();
    const onServer = await must('officer', 'GET', `/api/detentions/${detId}`);
    assert.equal(onServer.clock.basis, 'arrival');
    assert.equal(onServer.person.sex, 'male');
    assert.equal(onServer.person.ethnicity, 'not_stated');
    assert.equal(await page.getByTestId('step-handover').getAttribute('data-state'), 'next');

    // An extension to wait for a bed is not lawful (s136B(2)).
    await page.getByTestId('step-extension').getByRole('button', { name: /^Record the extension/ }).click();
    const ext = page.getByTestId('form-extension');
    await ext.getByLabel('Extend by (hours, up to 12)').fill('6');
    await ext.getByLabel('Reason', { exact: true }).selectOption('awaiting_bed');
    await ext.getByLabel('Clinical reason').fill('Needs an inpatient bed');
    await ext.getByLabel('Doctor: name').fill('Dr Mensah');
    await ext.getByLabel('The doctor is responsible for the examination').check();
    assert.match(await refused(ext, 'Record the extension'), /s136B\(2\): an extension is allowed only because the person's condition makes it impracticable/);
    await screenshot(page, 'mh-390-refused-extension', { fullPage: true });
    await ext.getByRole('button', { name: 'Cancel' }).click();

    // Handover: requested, accepted, officers left.
    const handover = () => page.getByTestId('form-handover');
    // Each stage's notes are its own: after a save the form starts blank for the next stage.
    const notes = () => handover().getByLabel(/^Notes/);
    await handover().getByLabel('Requested from').fill('HBPoS nurse in charge');
    await notes().fill('Nurse in charge says 40 minutes');
    await handover().getByRole('button', { name: 'Record the handover stage' }).click();
    await page.getByTestId('step-handover').filter({ hasText: /requested \d\d:\d\d/ }).waitFor();
    assert.equal(await handover().getByLabel('Stage').inputValue(), 'accepted');
    assert.equal(await notes().inputValue(), '', 'the request\'s notes are not carried to the acceptance');
    // An escalation leaves the next stage where it was: the form still starts blank.
    await handover().getByLabel('Stage').selectOption('escalated');
    await notes().fill('Escalated to the duty inspector; bed manager called');
    await handover().getByRole('button', { name: 'Record the handover stage' }).click();
    await page.getByTestId('saved').filter({ hasText: 'Handover: escalation of the wait recorded.' }).waitFor();
    assert.equal(await handover().getByLabel('Stage').inputValue(), 'accepted');
    assert.equal(await notes().inputValue(), '', 'the escalation\'s notes are not carried to the acceptance');
    await handover().getByRole('button', { name: 'Record the handover stage' }).click();
    assert.match(await handover().getByTestId('refusal').innerText(), /name the health professional who accepted/);
    await handover().getByLabel('Accepted by (health professional)').fill('Charge nurse Bello');
    await handover().getByRole('button', { name: 'Record the handover stage' }).click();
    await page.getByTestId('step-handover').filter({ hasText: /accepted by Charge nurse Bello/ }).waitFor();
    assert.equal(await handover().getByLabel('Stage').inputValue(), 'officers_left');
    await handover().getByRole('button', { name: 'Record the handover stage' }).click();
    await page.locator('[data-testid="step-handover"][data-state="done"]').waitFor();
    await screenshot(page, 'mh-390-after-handover', { fullPage: true });

    // The outcome ends the detention: nothing is preselected, and it asks first, naming the outcome.
    const outcome = page.getByTestId('form-outcome');
    assert.equal(await outcome.getByLabel('Outcome of the assessment').inputValue(), '');
    await outcome.getByLabel('Outcome of the assessment').selectOption('detained_s2');
    await outcome.getByRole('button', { name: 'Record the outcome and end the detention' }).click();
    assert.match(await outcome.getByTestId('confirm').innerText(), /End the detention with the outcome “Detained under s2”\?/);
    await outcome.getByRole('button', { name: 'Yes, end the detention' }).click();
    await page.locator('[data-testid="detention-page"][data-status="ended"]').waitFor();
    assert.match(await page.getByTestId('clock').innerText(), /^Ended \d\d:\d\d$/);
    assert.match(await page.getByTestId('step-outcome').innerText(), /Detained under s2/);
    assert.equal(await page.locator('[data-testid^="form-"]').count(), 0, 'nothing left to record');
    await page.getByTestId('detention-timeline').getByText(/^Record history \(\d+ events\)$/).click();
    const history = await page.getByTestId('detention-timeline').innerText();
    for (const step of ['created', 'place chosen', 'conveyance recorded', 'arrived', 'handover updated', 'ended']) {
      assert.match(history, new RegExp(`\\d\\d:\\d\\d:\\d\\d ${step} — officer`), `history has ${step}`);
    }
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'mh-390-detention-ended', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    const ended = await must('officer', 'GET', `/api/detentions/${detId}`);
    assert.equal(ended.status, 'ended');
    assert.equal(ended.outcome.outcome, 'detained_s2');
    assert.equal(ended.handover.accepted_by, 'Charge nurse Bello');
    assert.equal(ended.conveyances[0].mode, 'ambulance');

    // Back to the incident's records: NDM, capacity, restraint, use of force.
    await page.getByRole('link', { name: /mental-health records/ }).click();
    await page.getByTestId('mh-page').waitFor();
    await page.locator('[data-testid="detentions"] a', { hasText: detId }).waitFor();

    await page.getByRole('button', { name: 'Record: National Decision Model rationale' }).click();
    const ndm = page.getByTestId('form-ndm');
    // Sent blank: the server names every field it cannot take at once, and each is marked,
    // rather than one a submission.
    const ndmLabels = ['Decision', 'Code of Ethics: how the decision reflects it', '1. Information and intelligence', '2. Threat and risk assessment', '3. Powers and policy', '4. Options and contingencies', '5. Action and review'];
    const blank = await refused(ndm, /^Save/);
    for (const said of ['decision is required', 'code of ethics is required', 'stages information is required', 'stages action and review is required']) {
      assert.ok(blank.includes(said), `the refusal says "${said}": ${blank}`);
    }
    for (const label of ndmLabels) {
      assert.equal(await ndm.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), 'true', `${label} is marked`);
    }
    await screenshot(page, 'mh-390-ndm-blank', { fullPage: true });
    await ndm.getByLabel('Decision', { exact: true }).fill('Detain under s136 and convey by ambulance');
    await ndm.getByLabel('Code of Ethics: how the decision reflects it').fill('Respect for his safety and dignity');
    await ndm.getByLabel('1. Information and intelligence').fill('Known to SLaM; in traffic');
    await ndm.getByLabel('2. Threat and risk assessment').fill('High risk of serious injury');
    await ndm.getByLabel('3. Powers and policy').fill('MHA 1983 s136');
    await ndm.getByLabel('4. Options and contingencies').fill('Voluntary attendance refused');
    await ndm.getByLabel('5. Action and review').fill('Detained, handed over, reviewed');
    await ndm.getByRole('button', { name: /^Save/ }).click();
    await page.getByTestId('saved').filter({ hasText: /National Decision Model rationale recorded as rec-\d+/ }).waitFor();

    // Restraint before any capacity record: MCA s6(1) says no.
    await page.getByRole('button', { name: 'Record: Restraint (MCA s6)' }).click();
    const restraint = () => page.getByTestId('form-restraint');
    await restraint().getByLabel('Type of restraint').fill('Arms held');
    await restraint().getByLabel('Duration (minutes)').fill('4');
    await restraint().getByLabel('Harm to the person it prevented').fill('Stepping into traffic');
    await restraint().getByLabel('I reasonably believed it necessary to prevent harm to the person').check();
    await restraint().getByLabel('It was proportionate to the likelihood and seriousness of harm').check();
    await restraint().getByLabel('Why it was necessary').fill('Traffic');
    await restraint().getByLabel('Why it was proportionate').fill('Brief hold only');
    await restraint().getByLabel('De-escalation tried').fill('Talked for ten minutes');
    assert.match(await refused(restraint(), 'Save the restraint (mca s6) record'), /MCA 2005 s6\(1\): restraint is protected only as an act under s5/);
    await screenshot(page, 'mh-390-refused-restraint', { fullPage: true });
    await restraint().getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Record: Mental capacity (MCA s5)' }).click();
    const cap = page.getByTestId('form-capacity');
    await cap.getByLabel('The decision the person must make').fill('Whether to leave the road');
    await cap.getByLabel('Impairment of, or disturbance in, the mind or brain').fill('Acute psychosis');
    await cap.getByLabel('Use or weigh it').check();
    await cap.getByLabel('Practicable steps taken to help them decide').fill('Calm explanation, time given');
    await cap.getByLabel('Steps taken to establish capacity').fill('Asked him to explain the risk back');
    await cap.getByLabel('I reasonably believe the person lacks capacity in this matter').check();
    await cap.getByLabel('The act done', { exact: true }).fill('Guided him off the road');
    await cap.getByLabel('Why the act is in their best interests').fill('Prevents serious injury');
    await cap.getByLabel('Why it is the least restrictive option').fill('Guiding rather than holding');
    await cap.getByRole('button', { name: /^Save/ }).click();
    await page.getByTestId('saved').filter({ hasText: /Mental capacity \(MCA s5\) recorded/ }).waitFor();

    await page.getByRole('button', { name: 'Record: Restraint (MCA s6)' }).click();
    await restraint().getByLabel('Capacity record (s5) it rests on').selectOption({ index: 1 });
    await restraint().getByLabel('Type of restraint').fill('Arms held');
    await restraint().getByLabel('Duration (minutes)').fill('4');
    await restraint().getByLabel('Harm to the person it prevented').fill('Stepping into traffic');
    await restraint().getByLabel('I reasonably believed it necessary to prevent harm to the person').check();
    await restraint().getByLabel('It was proportionate to the likelihood and seriousness of harm').check();
    await restraint().getByLabel('Why it was necessary').fill('Traffic');
    await restraint().getByLabel('Why it was proportionate').fill('Brief hold only');
    await restraint().getByLabel('De-escalation tried').fill('Talked for ten minutes');
    await restraint().getByRole('button', { name: /^Save/ }).click();
    await page.getByTestId('saved').filter({ hasText: /Restraint \(MCA s6\) recorded/ }).waitFor();

    await page.getByRole('button', { name: 'Record: Use of force' }).click();
    const uof = page.getByTestId('form-use_of_force');
    await uof.getByLabel('Started at (HH:MM)').fill(await page.evaluate(() => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now() - 5 * 60_000)));
    await uof.getByLabel('Duration (minutes)').fill('4');
    await uof.getByLabel('Unarmed restraint').check();
    await uof.getByLabel('Body-worn video recording').uncheck();
    await uof.getByLabel('Why body-worn video was not worn or not recording').fill('Camera battery flat');
    for (const [label, value] of [
      ['Reason for the force', 'Prevent injury in traffic'],
      ['Where', 'Westminster Bridge'],
      ['How it was used', 'Arms held for four minutes'],
      ['Staff and officers involved', 'PC AW1001, PC AW1002'],
      ['Why police were involved', 'Public place, s136'],
      ['Efforts to avoid force', 'Ten minutes of talking'],
      ['Injury (to anyone)', 'None'],
      ['Outcome', 'Detained under s136'],
    ]) {
      await uof.getByLabel(label, { exact: true }).fill(value);
    }
    await uof.getByRole('button', { name: /^Save/ }).click();
    await page.getByTestId('saved').filter({ hasText: /Use of force recorded/ }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="record"]').length === 4);
    const kinds = await page.getByTestId('record').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort());
    assert.deepEqual(kinds, ['capacity', 'ndm', 'restraint', 'use_of_force']);
    const mh = await must('officer', 'GET', `/api/incidents/${incidentId}/mental-health`);
    const uofRecord = mh.records.find((r) => r.kind === 'use_of_force');
    assert.equal(uofRecord.data.bwv_reason, 'Camera battery flat');
    assert.equal(uofRecord.detention_id, detId, 'the records are attached to the detention');
    assert.ok((await noSideways(page)) <= 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'mh-390-records', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('an s135 warrant executed and the person kept at the premises: s135(4) named, then the clock from first entry', async () => {
    const inc = await mentalHealthCall('101', '12 Acre Lane, SW2', 'private_dwelling', 'AMHP requests assistance executing a s135(1) warrant');
    const page = await signIn(env.browser.context, env.server.url, 'officer');
    await page.goto(`${env.server.url}/#/incidents/${inc.id}/mental-health`);
    await page.getByRole('button', { name: 'Start a detention record (s136 / s135)' }).click();
    const form = page.getByTestId('form-decision');
    await form.getByLabel('Power').selectOption('s135');
    await form.getByLabel('Where the person was found').selectOption('private_dwelling');
    await form.getByLabel('Warrant reference').fill('CAMB/135/2026/114');
    await form.getByLabel('Issued by (justice of the peace)').fill('Camberwell Green Magistrates');
    await form.getByLabel('Age (years)').fill('52');
    await form.getByLabel('Kept where found (that place is the place of safety)').check();
    // Neither the AMHP nor the doctor named: both told in one answer, one line each, both marked.
    const both = await refused(form, 'Record the decision to detain');
    assert.match(both, /s135\(4\): a constable executing the warrant must be accompanied by an approved mental health professional and a registered medical practitioner/);
    assert.match(both, /s135\(4\): name the registered medical practitioner/);
    assert.equal(await form.getByTestId('refusal').locator('li').count(), 2);
    assert.equal(await form.getByLabel('AMHP present').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByLabel('Registered medical practitioner present').getAttribute('aria-invalid'), 'true');
    await form.getByTestId('refusal').scrollIntoViewIfNeeded();
    await screenshot(page, 'mh-s135-refused-twice');
    await form.getByLabel('AMHP present').fill('J. Mensah, Lambeth AMHP service');
    assert.match(await refused(form, 'Record the decision to detain'), /s135\(4\): a constable executing the warrant must be accompanied by an approved mental health professional and a registered medical practitioner/);
    assert.equal(await form.getByLabel('Registered medical practitioner present').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Registered medical practitioner present').fill('Dr Adeyemi');
    await form.getByRole('button', { name: 'Record the decision to detain' }).click();
    await page.getByRole('heading', { level: 1, name: /^s135 detention det-\d+$/ }).waitFor();
    await page.getByTestId('clock').filter({ hasText: /^Ends .* left/ }).waitFor();
    assert.equal(await page.getByTestId('step-conveyance').getAttribute('data-state'), 'done', 'kept at the premises: no conveyance');
    assert.equal(await page.getByTestId('step-arrival').getAttribute('data-state'), 'done');
    const warrant = page.getByTestId('detention-grounds');
    assert.equal(await warrant.getByRole('heading', { level: 2 }).innerText(), 'The warrant');
    assert.match(await warrant.innerText(), /Warrant\s+CAMB\/135\/2026\/114 \(issued by Camberwell Green Magistrates\)\s+AMHP present\s+J\. Mensah, Lambeth AMHP service\s+Registered medical practitioner present\s+Dr Adeyemi/);
    await screenshot(page, 'mh-1366-s135-kept', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('the control room records RCRP triage: signposting below the threshold, the s18 rule for an informal AWOL patient', async () => {
    const inc = await mentalHealthCall('999', 'Coldharbour Lane, SW9', 'public_place', 'Ward reports a patient has walked out');
    const page = await signIn(env.browser.context, env.server.url, 'controller');
    await page.goto(`${env.server.url}/#/incidents/${inc.id}`);
    await page.getByTestId('mh-link').click();
    await page.getByTestId('triage').waitFor();
    await page.getByRole('button', { name: 'Record the triage' }).click();
    const form = page.getByTestId('form-triage');
    await form.getByLabel('Call type').selectOption('awol');
    await form.getByLabel('RCRP threshold met').selectOption('none');
    await form.getByLabel('Rationale').fill('Informal patient, no risk identified by the ward');
    await form.getByLabel('The caller was told whether police will attend').check();
    await form.getByRole('button', { name: 'Save the triage' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /below the RCRP threshold, record the agency the caller was signposted to/);
    assert.equal(await form.getByLabel('Signposted to').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Signposted to').selectOption('trust_crisis_line');
    await form.getByLabel('Why no warm handover').fill('Ward will call the crisis line themselves');
    await form.getByLabel('Patient’s legal status').selectOption('informal');
    await form.getByLabel('Return under s18 asked for').check();
    await form.getByRole('button', { name: 'Save the triage' }).click();
    assert.match(await form.getByTestId('refusal').innerText(), /^Not allowed: MHA 1983 s18: an informal patient is not liable to be taken into custody and returned/);
    await screenshot(page, 'mh-1366-triage-refused', { fullPage: true });
    await form.getByLabel('Return under s18 asked for').uncheck();
    await form.getByRole('button', { name: 'Save the triage' }).click();
    const v1 = page.getByTestId('triage-version');
    await v1.waitFor();
    assert.match(await v1.innerText(), /v1 .*awol · threshold: none — police will not attend · caller told/);
    assert.match(await v1.innerText(), /Signposted to trust crisis line · warm handover not made: Ward will call the crisis line themselves/);
    assert.match(await v1.innerText(), /AWOL, informal: informal patient: not liable to be taken into custody/);
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test('the control room sees the live clocks on the board and reads a record without the forms', async () => {
    const page = await signIn(env.browser.context, env.server.url, 'controller');
    const list = await must('controller', 'GET', '/api/detentions?active=true');
    const pane = page.getByTestId('board-detentions');
    await pane.waitFor();
    assert.equal(await pane.getByTestId('board-detention').count(), list.count, 'every live detention is on the board');
    const det = list.detentions.find((x) => x.clock.ends_at);
    const row = pane.locator(`[data-testid="board-detention"][data-detention="${det.id}"]`);
    assert.match(await row.innerText(), /Ends .* left/);
    await row.getByRole('link').click();
    await page.getByTestId('detention-page').waitFor();
    await page.getByTestId('clock').filter({ hasText: /^Ends / }).waitFor();
    assert.equal(await page.locator('[data-testid^="form-"]').count(), 0, 'controllers may read, not record');
    await page.getByTestId('detention-grounds').waitFor(); // the grounds are for the control room to read too
    await screenshot(page, 'mh-1366-detention-controller', { fullPage: true });
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });
});
