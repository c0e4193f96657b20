import { describe, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { strongPassword } from '../support/journeys.js';
import { invitedMember } from '../support/team.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';

describe.skipIf(browserJourneysSkipped())('Voice > Pricing and Messaging > Pricing in a browser', () => {
  const journey = browserJourney();

  it('shows a Financial Analyst the prices staff loaded, country by country, from the menu', async () => {
    await journey.server.system.priceDecks.load(
      { ip: 'test', userAgent: null },
      'cli',
      [
        'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment',
        'US,voice,outbound,,,0.012,,60,60',
        'US,voice,outbound,,1808,0.034,0.01,30,6',
        'US,sms,outbound,,,0.0065,,,',
        'GB,voice,outbound,mobile,447,0.09,,1,1',
        'GB,sms,outbound,,,0.04,,,',
      ].join('\n'),
    );
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
  });
});
