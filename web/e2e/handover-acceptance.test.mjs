// End-to-end: health accepts the handover. A person detained under s136 is taken to the Maudsley
// health-based place of safety, which South London and Maudsley runs; the trust's clinician opens
// the shared incident in the partner portal and accepts the handover there, and the police see
// the acceptance. Another trust's clinician would be refused by the server (unit-tested).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityProblems, s136AtMaudsley, screenshot, signIn, usingMock, suiteEnvironment } from './harness.mjs';

const env = suiteEnvironment({ name: 'server-handover-acceptance', roles: ['controller', 'officer'] });

const must = env.must;

describe('handover acceptance by the trust', { skip: usingMock && 'the stand-in server has no detentions' }, () => {
  test('the clinician of the trust running the place of safety accepts the handover in the portal', async () => {
    const { inc, det, base } = await s136AtMaudsley(must, 'Man on the parapet');
    await must('officer', 'POST', `${base}/arrival`, {});
    await must('officer', 'POST', `${base}/handover`, { stage: 'requested', to: 'HBPoS nurse in charge' });

    const page = await signIn(env.browser.context, env.server.url, 'clinician');
    await page.goto(`${env.server.url}/#/partner/incidents/${encodeURIComponent(inc.id)}`);
    const item = page.locator(`[data-testid="shared-detention"][data-detention="${det.id}"]`);
    await item.waitFor();
    const form = item.getByRole('form', { name: `Accept the handover of ${det.id}` });
    await form.waitFor();
    assert.ok((await form.getByLabel('Accepted by').inputValue()).length > 0, 'the name is filled in');
    await form.getByLabel('Accepted by').fill('RMN Okafor');
    await form.getByLabel('Notes (optional)').fill('Suite 2');
    await form.getByRole('button', { name: 'Accept the handover' }).click();
    await item.filter({ hasText: /handover requested .*, accepted / }).waitFor();
    assert.equal(await item.getByRole('form').count(), 0, 'nothing left to accept');
    assert.deepEqual(await accessibilityProblems(page), []);
    await screenshot(page, 'partner-handover-accepted', { fullPage: true });

    const onServer = await must('officer', 'GET', base);
    assert.equal(onServer.handover.accepted_by, 'RMN Okafor');
    assert.ok(onServer.handover.accepted_at);
    await page.close();
  });
});
