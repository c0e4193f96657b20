import { describe, expect, it } from 'vitest';
import { auditActionsOf, onboardedUser, userIdOf } from '../support/journeys.js';
import { startPasskeyServer } from '../support/passkeys.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { signInWithPassword } from './sign-in.js';

describe.skipIf(browserJourneysSkipped())('passkeys in a browser', () => {
  // The console at http://localhost:<port>: a passkey's relying party is a domain, never an IP address.
  const journey = browserJourney({ start: startPasskeyServer });

  it('enrols a passkey under Security on the device, signs out, signs in with the passkey alone, then uses it as the second factor', async () => {
    const person = await onboardedUser(journey.server);
    const userId = await userIdOf(person.client);
    const page = await journey.signedInPage(person, '/account/settings/security');

    // Chromium's virtual authenticator (the DevTools WebAuthn domain): a platform authenticator
    // that keeps discoverable credentials and verifies the user, as a laptop's fingerprint reader.
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.getByText('Two-Factor Authentication').waitFor();
    await page.getByRole('button', { name: 'Add a passkey', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
    await dialog.getByRole('textbox', { name: 'Passkey name' }).fill('Work laptop');
    await dialog.getByRole('button', { name: 'Create passkey', exact: true }).click();
    await page.getByRole('table', { name: 'Passkeys' }).getByRole('cell', { name: 'Work laptop' }).waitFor();
    const { credentials } = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    expect(await auditActionsOf(journey.server, userId)).toContain('passkey.enrolled');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/signin');
    await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);
    await expect.poll(() => page.getByTestId('auth-id').textContent()).toMatch(/^MA[A-Z0-9]+$/);

    const signIn = await journey.server.system.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('user_id', '=', userId)
      .where('action', '=', 'user.signed_in')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(signIn.details).toMatchObject({ method: 'passkey' });
    const after = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]?.signCount).toBeGreaterThan(credentials[0]?.signCount ?? 0);

    // As the second factor: after the password, the passkey instead of a code.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signInWithPassword(page, journey.server, person.email, person.password);
    await page.getByRole('button', { name: 'Use your passkey', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);
    await expect.poll(() => page.getByTestId('auth-id').textContent()).toMatch(/^MA[A-Z0-9]+$/);
    await page.close();
  });
});
