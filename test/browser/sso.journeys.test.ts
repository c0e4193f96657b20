import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { apiAccount } from '../support/api-account.js';
import { startOidcProvider } from '../support/identity-providers.js';
import { advanceToMiddleOfStep, setUpStaff, staffPassword, strongPassword } from '../support/journeys.js';
import { codeIn } from '../support/outbox.js';
import { startSsoTestServer } from '../support/sso.js';
import { invitedMember } from '../support/team.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { nextMessageTo, seenMessages } from './outbox.js';
import { signInWithPhoneCode } from './sign-in.js';

let idp: Awaited<ReturnType<typeof startOidcProvider>>;
const clientId = 'switchboard-console';
const clientSecret = 'browser-client-secret-4b7e2d';

describe.skipIf(browserJourneysSkipped())('single sign-on in a browser', () => {
  let ca: Awaited<ReturnType<typeof startSsoTestServer>>['ca'];
  const journey = browserJourney({
    start: async () => {
      const started = await startSsoTestServer();
      ca = started.ca;
      return started.server;
    },
    trustTestCa: true,
  });
  beforeAll(async () => {
    idp = await startOidcProvider(ca, {
      clientId,
      clientSecret,
      redirectUri: `${journey.server.url}/api/sso/oidc/callback`,
    });
  });
  afterAll(() => idp?.stop());

  /** The test identity provider's development pages: any login name (and any password) signs in as that email. */
  async function signInAtProvider(page: Page, email: string) {
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  /** A staff member signs in to the staff console in the browser and opens Accounts. */
  async function staffConsoleAccounts() {
    const staff = await setUpStaff(journey.server);
    const page = await journey.freshPage();
    await page.goto(`${journey.server.url}/staff`);
    await page.getByLabel('Staff email').fill(staff.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(staffPassword);
    advanceToMiddleOfStep(journey.server, 1);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page
      .getByRole('textbox', { name: 'Authenticator code' })
      .fill(totpCodeAt(staff.secret, journey.server.clock.now()));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('tab', { name: 'Accounts' }).click();
    return page;
  }

  it('staff turn SSO on; an admin configures OpenID Connect and passes the test sign-in; a developer then signs in with SSO', async () => {
    const owner = await apiAccount(journey.server);
    const me = (await owner.client.get('/api/me')).body;
    const admin = {
      ...(await invitedMember(journey.server, owner.client, 'admin')),
      password: strongPassword,
    };
    const developer = await invitedMember(journey.server, owner.client, 'developer');

    const consolePage = await journey.signedInPage(admin, '/account/settings/security');
    await consolePage.getByText('Contact support to access SSO').waitFor();
    await consolePage.close();

    const staffPage = await staffConsoleAccounts();
    await staffPage.getByLabel('Find an account').fill(owner.authId);
    await staffPage.getByRole('button', { name: 'Search', exact: true }).click();
    const sso = staffPage.getByRole('switch', { name: `SSO for ${me.account.name}` });
    expect(await sso.isChecked()).toBe(false);
    await sso.click({ force: true });
    const turnOn = staffPage.getByRole('dialog', { name: `Turn on SSO for ${me.account.name}` });
    await turnOn.getByRole('textbox', { name: 'Reason' }).fill('Enterprise plan signed');
    await turnOn.getByRole('button', { name: 'Turn on SSO' }).click();
    await expect.poll(() => sso.isChecked()).toBe(true);
    await staffPage.close();

    const page = await journey.freshPage();
    journey.server.clock.advanceMinutes(2);
    await signInWithPhoneCode(page, journey.server, admin, '/account/settings/security');
    await page.getByRole('button', { name: 'Configure', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Configure SSO' });
    expect(await dialog.getByTestId('oidc-redirect-uri').textContent()).toBe(
      `${journey.server.url}/api/sso/oidc/callback`,
    );
    await dialog.getByRole('textbox', { name: 'Issuer URL' }).fill(idp.issuer);
    await dialog.getByRole('textbox', { name: 'Client ID' }).fill(clientId);
    await dialog.getByLabel('Client secret').fill(clientSecret);
    await dialog.getByRole('button', { name: 'Save and test sign-in' }).click();
    await signInAtProvider(page, admin.email);
    await page.waitForURL(`${journey.server.url}/account/settings/security?sso_test=passed`);
    await page.getByText('Test sign-in passed').waitFor();
    await page.getByTestId('sso-active-provider').getByText(idp.issuer).waitFor();

    await journey.clearCookies();
    await page.goto(`${journey.server.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByRole('textbox', { name: 'Work email or Auth ID' }).fill(developer.email);
    const seen = await seenMessages(journey.server, developer.phone);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await signInAtProvider(page, developer.email);
    await page.waitForURL(`${journey.server.url}/signin?sso=second_factor`);
    await page.getByText('Your identity provider signed you in').waitFor();
    await page.getByRole('button', { name: 'Send code', exact: true }).click();
    const code = codeIn((await nextMessageTo(journey.server, developer.phone, seen)).text);
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await page.getByRole('button', { name: 'Verify and sign in', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);
    const session = await page.evaluate(() => fetch('/api/me').then((r) => r.json()));
    expect(session.user.email).toBe(developer.email);
    expect(session.account.authId).toBe(owner.authId);
    expect(session.memberships).toEqual([expect.objectContaining({ role: 'developer' })]);
    await page.close();
  }, 90_000);

  it('shows why the identity provider refused the sign-in', async () => {
    const page = await journey.freshPage();
    await page.goto(
      `${journey.server.url}/signin?sso_error=not_a_member&message=${encodeURIComponent('No member of this account has that email.')}`,
    );
    await page.getByRole('alert').getByText('No member of this account has that email.').waitFor();
    await page.getByRole('textbox', { name: 'Work email or Auth ID' }).waitFor();
    await page.close();
  });
});
