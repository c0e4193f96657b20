import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { onboardedUser, setUpStaff, signInStaff } from '../support/journeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { openFromMenu } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('the audit log in a browser', () => {
  const journey = browserJourney();

  it('an owner opens Account > Settings > Audit Log, sees a staff change as "operator staff" with its reason, filters, downloads the CSV and sets a webhook', async () => {
    const owner = await onboardedUser(journey.server);
    const accountId: string = (await owner.client.get('/api/me')).body.account.id;
    const staff = await signInStaff(journey.server, await setUpStaff(journey.server));
    const limits = await staff.put(`/api/staff/accounts/${accountId}/rate-limits`, {
      standard: 40,
      reason: 'Enterprise plan signed',
    });
    expect(limits.status).toBe(200);

    const page = await journey.signedInPage(owner);
    await openFromMenu(page, 'Audit Log');
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.getByText('Enterprise plan signed').waitFor();
    await table.getByText(owner.email).first().waitFor();

    await page.getByRole('textbox', { name: 'Actor' }).fill('operator staff');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForURL(/actor=operator\+staff/);
    await expect.poll(() => table.getByText(owner.email).count()).toBe(0);
    expect(await table.getByRole('row').count()).toBe(2);
    await table.getByText('account.rate_limits_changed').waitFor();

    // The filter lives in the address: a reload shows the same view.
    await page.reload();
    await page.getByRole('table', { name: 'Audit events' }).getByText('Enterprise plan signed').waitFor();
    expect(await page.getByRole('textbox', { name: 'Actor' }).inputValue()).toBe('operator staff');

    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    expect(await exportLink.getAttribute('href')).toBe('/api/audit/events.csv?actor=operator+staff');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toBe('audit-log.csv');
    const csv = await readFile((await download.path()) as string, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'created_at,account_id,actor_type,actor,action,resource,ip,user_agent,reason,details',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      'operator_staff,operator staff,account.rate_limits_changed,account,,,Enterprise plan signed,',
    );

    await page.getByRole('textbox', { name: 'Webhook URL' }).fill('http://127.0.0.1:9/siem');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    const secret = page.getByLabel('Signing secret', { exact: true });
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/^whsec_/);
  });
});
