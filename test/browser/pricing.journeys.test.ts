import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { apiAccount } from '../support/api-account.js';
import { setUpStaff, staffPassword, strongPassword } from '../support/journeys.js';
import { invitedMember } from '../support/team.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';

describe.skipIf(browserJourneysSkipped())('Pricing and usage in a browser', () => {
  const journey = browserJourney();

  it('staff load a deck; a Financial Analyst sees its prices, then usage an engine posted in Billing > Usage Summary and its CSV export', async () => {
    const staff = await setUpStaff(journey.server);
    const staffPage = await journey.newPage();
    await staffPage.goto(`${journey.server.url}/staff`);
    await staffPage.getByLabel('Staff email').fill(staff.email);
    await staffPage.getByRole('textbox', { name: 'Password', exact: true }).fill(staffPassword);
    await staffPage.getByRole('button', { name: 'Continue', exact: true }).click();
    const laterStep = new Date(journey.server.clock.now().getTime() + 30_000);
    await staffPage
      .getByRole('textbox', { name: 'Authenticator code' })
      .fill(totpCodeAt(staff.secret, laterStep));
    await staffPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await staffPage.getByRole('tab', { name: 'Prices' }).click();
    const deck = staffPage.getByRole('textbox', { name: 'Price deck (CSV)' });
    const header =
      'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment';
    await deck.fill(`${header}\nUS,voice,outbound,,1416,0.012,,60,60\nUS,sms,outbound,,,0.0065,0.01,,`);
    await staffPage.getByRole('button', { name: 'Load prices' }).click();
    await staffPage.getByText('No prices were loaded').waitFor();
    await staffPage.getByText('line 2: prefix 1416 is a CA range, not US: price it in a CA row').waitFor();
    await staffPage.getByText('line 3: connect_fee is for voice: sms is priced per segment').waitFor();
    await deck.fill(
      [
        header,
        'US,voice,outbound,,,0.012,,60,60',
        'US,voice,outbound,,1808,0.034,0.01,30,6',
        'US,sms,outbound,,,0.0065,,,',
        'GB,voice,outbound,mobile,447,0.09,,1,1',
        'GB,sms,outbound,,,0.04,,,',
      ].join('\n'),
    );
    await staffPage.getByRole('button', { name: 'Load prices' }).click();
    await staffPage.getByText('5 prices are loaded').waitFor();
    await staffPage
      .getByRole('table', { name: 'Price decks' })
      .getByRole('row')
      .filter({ hasText: staff.email })
      .getByText('5', { exact: true })
      .waitFor();
    await staffPage.close();

    const owner = await apiAccount(journey.server);
    const analyst = await invitedMember(journey.server, owner.client, 'financial_analyst');
    const page = await journey.signedInPage({ ...analyst, password: strongPassword });
    const menu = page.getByRole('navigation', { name: 'Console menu' });

    await menu.locator('a[href="/voice/pricing"]').click();
    const outbound = page.getByRole('table', { name: 'Outbound calls' });
    await outbound
      .getByRole('row')
      .filter({ hasText: 'All of United States (+1)' })
      .getByText('$0.012', { exact: true })
      .waitFor();
    const hawaii = outbound.getByRole('row').filter({ hasText: '+1808' });
    await hawaii.getByText('$0.034', { exact: true }).waitFor();
    await hawaii.getByText('$0.01', { exact: true }).waitFor();
    await hawaii.getByText('30 s / 6 s', { exact: true }).waitFor();

    await page.getByPlaceholder('Choose a country').fill('United Kingdom');
    await page.getByRole('option', { name: 'United Kingdom (GB)' }).click();
    await outbound
      .getByRole('row')
      .filter({ hasText: '+447' })
      .getByText('Mobile', { exact: true })
      .waitFor();

    await menu.locator('a[href="/messaging/pricing"]').click();
    await page.waitForURL(/\/messaging\/pricing/);
    await page.getByText('$0.04', { exact: true }).first().waitFor();
    await page.getByPlaceholder('Choose a country').fill('Japan');
    await page.getByRole('option', { name: 'Japan (JP)' }).click();
    await page.getByText('There are no prices for Japan (JP) yet.', { exact: false }).waitFor();

    // An engine posts a call and a message of the account, rated at the deck's prices.
    const { key } = await journey.server.system.engines.create(
      { ip: 'test', userAgent: null },
      'sbc-journey',
    );
    const startedAt = journey.server.clock.now().toISOString();
    const posted = await fetch(`${journey.server.url}/api/engine/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        events: [
          {
            id: 'call-journey-1',
            account: owner.authId,
            product: 'voice',
            direction: 'outbound',
            from: '+14155550100',
            to: '+13125550123',
            quantity: 61,
            started_at: startedAt,
          },
          {
            id: 'sms-journey-1',
            account: owner.authId,
            product: 'sms',
            direction: 'outbound',
            from: '+14155550100',
            to: '+13125550123',
            quantity: 2,
            started_at: startedAt,
          },
        ],
      }),
    });
    expect(await posted.json()).toMatchObject({
      events: [
        { id: 'call-journey-1', status: 'charged', amount: '0.02400' },
        { id: 'sms-journey-1', status: 'charged', amount: '0.01300' },
      ],
    });

    await menu.locator('a[href="/billing/usage"]').click();
    await page.getByRole('img', { name: 'Usage amount per day' }).waitFor();
    const usage = page.getByRole('table', { name: 'Usage by product and subaccount' });
    await usage.getByRole('row').filter({ hasText: 'Voice' }).getByText('$0.024', { exact: true }).waitFor();
    await usage.getByRole('row').filter({ hasText: 'SMS' }).getByText('$0.013', { exact: true }).waitFor();

    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    const csv = await (
      await page.request.get(new URL((await exportLink.getAttribute('href')) ?? '', page.url()).toString())
    ).text();
    expect(csv).toContain('call-journey-1');
    expect(csv).toContain('sms-journey-1');
    expect(csv.split('\n').filter((line) => line.includes('journey-1'))).toHaveLength(2);
  });
});
