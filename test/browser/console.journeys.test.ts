import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import {
  addAuthenticator,
  later,
  onboardedUser,
  strongPassword,
  uniqueEmail,
  uniquePhone,
} from '../support/journeys.js';
import { codeIn } from '../support/outbox.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { isClipped } from './layout.js';
import { linkPathIn, nextMessageTo, seenMessages } from './outbox.js';
import { signInWithPassword, signInWithPhoneCode } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('the console in a browser', () => {
  const journey = browserJourney();

  it('signs up, verifies email and phone, enrolls an authenticator app, and signs in with it', async () => {
    const page = await journey.freshPage();
    const email = uniqueEmail('grace');
    const phone = uniquePhone();

    await page.goto(`${journey.server.url}/signup`);
    await page.getByLabel('Full name').fill('Grace Hopper');
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await page.getByText('This password meets the policy.').waitFor();
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.waitForURL('**/onboarding');
    await page.getByText('Check your inbox').waitFor();

    const activation = await nextMessageTo(journey.server, email);
    await page.goto(`${journey.server.url}${linkPathIn(activation.text)}`);
    await page.getByText('Email verified — continue').waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();

    await page.getByLabel('Phone number').fill(phone);
    await page.getByRole('button', { name: 'Send code', exact: true }).click();
    const phoneCode = codeIn((await nextMessageTo(journey.server, phone)).text);
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(phoneCode);
    await page.getByRole('button', { name: 'Verify phone', exact: true }).click();

    await page.getByLabel('Company name').fill('Acme Telecom');
    await page.getByLabel('Company website').fill('https://acme-telecom.com');
    await page.getByPlaceholder('Choose a country').fill('United States');
    await page.getByRole('option', { name: 'United States (US)' }).click();
    await page
      .getByLabel('How will you use voice and messaging?')
      .fill('Sign-in codes by SMS for our customers');
    await page.getByRole('button', { name: 'Submit business details', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);
    await expect.poll(() => page.getByTestId('auth-id').textContent()).toMatch(/^MA[A-Z0-9]+$/);

    await page
      .getByRole('navigation', { name: 'Console menu' })
      .getByRole('link', { name: 'Security', exact: true })
      .click();
    await page.getByText('Two-Factor Authentication').waitFor();
    const seen = await seenMessages(journey.server, phone);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add authenticator app' });
    await dialog.getByRole('button', { name: 'Send code', exact: true }).click();
    const enrolmentCode = codeIn((await nextMessageTo(journey.server, phone, seen)).text);
    await dialog.getByRole('textbox', { name: 'Code', exact: true }).fill(enrolmentCode);
    await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
    await dialog.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await dialog.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await dialog
      .getByRole('textbox', { name: 'Code from the app' })
      .fill(totpCodeAt(secret, journey.server.clock.now()));
    await dialog.getByRole('button', { name: 'Turn on', exact: true }).click();
    await dialog.getByText('Your authenticator app is set up').waitFor();
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/signin');

    await signInWithPassword(page, journey.server, email, strongPassword);
    const laterStep = new Date(journey.server.clock.now().getTime() + 30_000);
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(totpCodeAt(secret, laterStep));
    await page.getByRole('button', { name: 'Verify and sign in', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);
    await expect.poll(() => page.getByTestId('auth-id').textContent()).toMatch(/^MA[A-Z0-9]+$/);
    await page.close();
  });

  it('resets a forgotten password from the emailed link and signs in with the new one', async () => {
    const { email, phone } = await onboardedUser(journey.server);
    const newPassword = 'Amber-Canyon-Whistle-73';
    const page = await journey.freshPage();

    await page.goto(`${journey.server.url}/signin`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Work email').fill(email);
    const earlier = await seenMessages(journey.server, email);
    await page.getByRole('button', { name: 'Send reset link', exact: true }).click();
    await page.getByText('If an account uses this email').waitFor();

    const reset = await nextMessageTo(journey.server, email, earlier);
    expect(reset.subject).toBe('Reset your password');
    await page.goto(`${journey.server.url}${linkPathIn(reset.text)}`);
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Set new password', exact: true }).click();
    await page.getByText('Sign in with your new password').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();

    await signInWithPhoneCode(page, journey.server, { email, password: newPassword, phone });
    await expect.poll(() => page.getByTestId('auth-id').textContent()).toMatch(/^MA[A-Z0-9]+$/);
    await page.close();
  });

  it('asks for the password again before an email change, then changes the email from its link', async () => {
    const { email, phone } = await onboardedUser(journey.server);
    const newEmail = uniqueEmail('ada.lovelace');
    const page = await journey.freshPage();
    await signInWithPhoneCode(page, journey.server, { email, password: strongPassword, phone });

    await later(journey.server, 11, async () => {
      await page.goto(`${journey.server.url}/account/settings/profile`);
      await page.getByLabel('New email').fill(newEmail);
      await page.getByRole('button', { name: 'Send confirmation link', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
      await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByText(`We sent a confirmation link to ${newEmail}`).waitFor();

      const confirmation = await nextMessageTo(journey.server, newEmail);
      await page.goto(`${journey.server.url}${linkPathIn(confirmation.text)}`);
      await page.getByText('Email changed').waitFor();
      await page.getByRole('link', { name: 'Continue to the console' }).click();
      await page.waitForURL(`${journey.server.url}/`);
      await page.getByRole('banner').getByText(newEmail).waitFor();
    });
    await page.close();
  });

  it('offers every second factor by a label that fits the sign-in card', async () => {
    const person = await onboardedUser(journey.server);
    await addAuthenticator(journey.server, person.client, person.phone);
    expect((await person.client.post('/api/security/recovery-codes')).status).toBe(201);
    const page = await journey.freshPage();
    await signInWithPassword(page, journey.server, person.email, person.password);
    const chooser = page.getByRole('radiogroup');
    expect(
      await chooser
        .getByRole('radio')
        .evaluateAll((radios) => radios.map((r) => r.parentElement?.textContent)),
    ).toEqual(['Authenticator app', 'Phone', 'Recovery code']);
    expect(await isClipped(chooser)).toBe(false);
    for (const label of await chooser.locator('label').all()) expect(await isClipped(label)).toBe(false);
    await page.close();
  });

  it('lets the Owner of an account held for incomplete details complete them, and the review runs again', async () => {
    const owner = await onboardedUser(journey.server, { businessProfile: false });
    const held = await owner.client.post('/api/onboarding/business-profile', {
      companyName: 'Acme Telecom',
      website: '',
      country: 'US',
      intendedUse: '',
    });
    expect(held.body.account.status).toBe('under_review');
    const page = await journey.signedInPage(owner);

    const review = page.getByRole('status').filter({ hasText: 'Your account is under review' });
    await review.getByText('Reason: Documentation is incomplete.').waitFor();
    await review.getByRole('button', { name: 'Complete business details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Complete business details' });
    expect(await dialog.getByLabel('Company name').inputValue()).toBe('Acme Telecom');
    await dialog.getByLabel('Company website').fill(`https://${owner.email.split('@')[1]}`);
    await dialog.getByLabel('How will you use voice and messaging?').fill('Sign-in codes by SMS');
    await dialog.getByRole('button', { name: 'Submit business details', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Active', { exact: true }).waitFor();
    expect(await review.count()).toBe(0);
    expect((await owner.client.get('/api/me')).body.account.status).toBe('active');
    await page.close();
  });
});
