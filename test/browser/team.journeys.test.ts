import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { onboardedUser, strongPassword, uniqueEmail, uniquePhone } from '../support/journeys.js';
import { codeIn } from '../support/outbox.js';
import { invitedMember } from '../support/team.js';
import { browserJourneysSkipped } from './chromium.js';
import { browserJourney } from './journey.js';
import { linkPathIn, nextMessageTo, seenMessages } from './outbox.js';
import { openFromMenu, signInWithPhoneCode } from './sign-in.js';

const menuOf = (page: Page) => page.getByRole('navigation', { name: 'Console menu' });

describe.skipIf(browserJourneysSkipped())('the team in a browser', () => {
  /** Two browsers: the Owner's (0), and the invited person's (1) with cookies of their own. */
  const journey = browserJourney({ browsers: 2 });

  it('invites a Developer who joins with 2FA, sees Credentials but not Team, follows a role change, and is refused once removed', async () => {
    const owner = await onboardedUser(journey.server);
    const ownerPage = await journey.newPage(0);
    await signInWithPhoneCode(ownerPage, journey.server, owner);
    await openFromMenu(ownerPage, 'Team');

    const developer = { email: uniqueEmail('dev'), phone: uniquePhone() };
    await ownerPage.getByRole('button', { name: 'Add New User', exact: true }).click();
    const addUser = ownerPage.getByRole('dialog', { name: 'Add New User' });
    const inviteEmail = addUser.getByRole('textbox', { name: 'Work email' });
    await inviteEmail.fill('dana@gmail.com');
    await addUser.getByRole('button', { name: 'Invite User', exact: true }).click();
    await addUser.getByText('personal email domains such as gmail.com are not accepted').waitFor();
    expect(await inviteEmail.getAttribute('aria-invalid')).toBe('true');
    await inviteEmail.fill(developer.email);
    await addUser.getByLabel('Role').selectOption({ label: 'Developer' });
    await addUser.getByRole('button', { name: 'Invite User', exact: true }).click();
    await ownerPage.getByText(`Invitation sent to ${developer.email}.`).waitFor();
    const pending = ownerPage.getByRole('table', { name: 'Pending invitations' }).getByRole('row');
    await pending.filter({ hasText: developer.email }).filter({ hasText: 'Developer' }).waitFor();

    await ownerPage.getByRole('button', { name: 'Add New User', exact: true }).click();
    await inviteEmail.fill(developer.email);
    await addUser.getByRole('button', { name: 'Invite User', exact: true }).click();
    await addUser.getByText('already has a pending invitation: resend it instead').waitFor();
    await addUser.getByRole('button', { name: 'Cancel', exact: true }).click();
    const firstLink = await nextMessageTo(journey.server, developer.email);
    await ownerPage.getByRole('button', { name: `Resend invitation to ${developer.email}` }).click();
    await ownerPage.getByText(`A new invitation link was sent to ${developer.email}`).waitFor();

    const invitation = await nextMessageTo(journey.server, developer.email, new Set([firstLink.id]));
    const page = await journey.newPage(1);
    await page.goto(`${journey.server.url}${linkPathIn(firstLink.text)}`);
    await page.getByText('This invitation link is not valid. Ask for a new invitation.').waitFor();
    await page.goto(`${journey.server.url}${linkPathIn(invitation.text)}`);
    await page.getByRole('heading', { name: /^Join / }).waitFor();
    await page.getByText(/as Developer/).waitFor();
    await page.getByLabel('Full name').fill('Dana Developer');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await page.getByText('This password meets the policy.').waitFor();
    await page.getByRole('button', { name: 'Accept invitation', exact: true }).click();

    await page.waitForURL('**/onboarding');
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    expect(await page.getByText('Verify email').count()).toBe(0);
    expect(await page.getByText('Business details').count()).toBe(0);
    await page.getByLabel('Phone number').fill(developer.phone);
    await page.getByRole('button', { name: 'Send code', exact: true }).click();
    const phoneCode = codeIn((await nextMessageTo(journey.server, developer.phone)).text);
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill(phoneCode);
    await page.getByRole('button', { name: 'Verify phone', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);

    await menuOf(page).getByRole('link', { name: 'Credentials', exact: true }).waitFor();
    expect(await menuOf(page).getByRole('link', { name: 'Team', exact: true }).count()).toBe(0);
    expect(await menuOf(page).getByText('Billing').count()).toBe(0);
    await openFromMenu(page, 'Credentials');
    await page.getByTestId('auth-id').waitFor();

    await ownerPage.reload();
    const members = ownerPage.getByRole('table', { name: 'Team members' });
    await members
      .getByRole('row')
      .filter({ hasText: developer.email })
      .filter({ hasText: 'Dana Developer' })
      .waitFor();
    const role = members.getByRole('combobox', { name: `Role of ${developer.email}` });
    const changed = ownerPage.waitForResponse((response) => response.url().includes('/role'));
    await role.selectOption({ label: 'Support' });
    expect((await changed).status()).toBe(204);
    await page.reload();
    await menuOf(page).getByRole('link', { name: 'API', exact: true }).waitFor();
    expect(await menuOf(page).getByRole('link', { name: 'Credentials', exact: true }).count()).toBe(0);
    await ownerPage.getByRole('button', { name: `Remove ${developer.email}` }).click();
    const confirm = ownerPage.getByRole('dialog', { name: 'Remove from the team?' });
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => members.getByText(developer.email).count()).toBe(0);

    const refused = page.waitForResponse((response) => response.url().includes('/api/logs/api'));
    await menuOf(page).getByRole('link', { name: 'API', exact: true }).click();
    expect((await refused).status()).toBe(401);
    await page.waitForURL('**/signin**');
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor();
    await page.close();
    await ownerPage.close();
  });

  it('lets a user of another account sign in to accept, then switch accounts with the menu following the role', async () => {
    const inviter = await apiAccount(journey.server);
    const person = await apiAccount(journey.server);
    const earlier = await seenMessages(journey.server, person.email);
    const invited = await inviter.client.post('/api/team/invitations', {
      email: person.email,
      role: 'support',
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const link = linkPathIn((await nextMessageTo(journey.server, person.email, earlier)).text);

    await journey.clearCookies(1);
    const page = await journey.newPage(1);
    await page.goto(`${journey.server.url}${link}`);
    await page.getByText(/as Support/).waitFor();
    await page.getByRole('link', { name: 'Sign in to accept' }).click();
    await page.waitForURL(`${journey.server.url}/signin?next=${encodeURIComponent(link)}`);
    await signInWithPhoneCode(page, journey.server, person, link);
    await page.getByRole('button', { name: 'Accept invitation', exact: true }).click();
    await page.waitForURL(`${journey.server.url}/`);

    const account = page.getByRole('banner').getByRole('combobox', { name: 'Account' });
    expect(await account.inputValue()).toBe(inviter.accountId);
    await menuOf(page).getByRole('link', { name: 'API', exact: true }).waitFor();
    expect(await menuOf(page).getByRole('link', { name: 'Credentials', exact: true }).count()).toBe(0);

    await account.selectOption(person.accountId);
    await menuOf(page).getByRole('link', { name: 'Team', exact: true }).waitFor();
    await menuOf(page).getByRole('link', { name: 'Credentials', exact: true }).waitFor();
    expect(await account.inputValue()).toBe(person.accountId);
    await openFromMenu(page, 'Team');
    await page.getByRole('table', { name: 'Team members' }).getByText('Owner').waitFor();
    await page.close();
  });

  it('the Owner closes the account from Account > Service Address; a signed-in member is signed out and cannot sign in again', async () => {
    const owner = await onboardedUser(journey.server);
    const admin = await invitedMember(journey.server, owner.client, 'admin');
    await journey.clearCookies(1);
    const memberPage = await journey.newPage(1);
    await signInWithPhoneCode(memberPage, journey.server, { ...admin, password: strongPassword });

    await journey.clearCookies(0);
    const ownerPage = await journey.newPage(0);
    await signInWithPhoneCode(ownerPage, journey.server, owner);
    await openFromMenu(ownerPage, 'Service Address');
    await ownerPage.getByRole('button', { name: 'Close account…', exact: true }).click();
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByText('2 team members lose access at once').waitFor();
    await dialog.getByText('Refund: nothing.').waitFor();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('Not-My-Password-1');
    // The sign-in's code was sent moments ago: a new one may be sent a few minutes on.
    journey.server.clock.advanceMinutes(5);
    const seen = await seenMessages(journey.server, owner.phone);
    await dialog.getByRole('button', { name: 'Send code', exact: true }).click();
    const code = codeIn((await nextMessageTo(journey.server, owner.phone, seen)).text);
    await dialog.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await dialog.getByRole('button', { name: 'Close the account', exact: true }).click();
    await dialog.getByText('Not right.').waitFor();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
    await dialog.getByRole('button', { name: 'Close the account', exact: true }).click();
    await ownerPage.waitForURL(`${journey.server.url}/signin`);
    await ownerPage.getByRole('status').getByText('is closed. Nothing is refunded.').waitFor();

    // The member's next page asks for a sign-in, and signing in says the account is closed.
    await memberPage.goto(`${journey.server.url}/`);
    await memberPage.waitForURL(/\/signin/);
    await memberPage.getByLabel('Work email').fill(admin.email);
    await memberPage.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await memberPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await memberPage.getByText('The account you belong to is closed').waitFor();
  });

  it('the Owner secures the account after a compromise: a member is signed out and must set a new password', async () => {
    const owner = await onboardedUser(journey.server);
    const developer = await invitedMember(journey.server, owner.client, 'developer');
    await journey.clearCookies(1);
    const developerPage = await journey.newPage(1);
    await signInWithPhoneCode(developerPage, journey.server, { ...developer, password: strongPassword });

    await journey.clearCookies(0);
    const ownerPage = await journey.newPage(0);
    await signInWithPhoneCode(ownerPage, journey.server, owner);
    await openFromMenu(ownerPage, 'Security');
    // Signed in eleven minutes ago: securing the account asks for the password again.
    journey.server.clock.advanceMinutes(11);
    await ownerPage.getByRole('button', { name: 'Secure my account', exact: true }).click();
    const confirm = ownerPage.getByRole('dialog', { name: 'Secure my account?' });
    await confirm.getByText('sign every member of the account out').waitFor();
    await confirm.getByRole('button', { name: 'Secure my account', exact: true }).click();
    const reauthenticate = ownerPage.getByRole('dialog', { name: 'Confirm it is you' });
    await reauthenticate.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
    await reauthenticate.getByRole('button', { name: 'Confirm', exact: true }).click();
    const secured = ownerPage.getByRole('alert').filter({ hasText: 'The account is secured' });
    await secured.getByText('2 member(s) signed out everywhere').waitFor();

    // The member's next page asks for a sign-in, and after it a new password.
    await developerPage.goto(`${journey.server.url}/account/settings/credentials`);
    await developerPage.waitForURL(/\/signin/);
    journey.server.clock.advanceMinutes(5); // a new phone code may be sent
    await developerPage.getByLabel('Work email').fill(developer.email);
    await developerPage.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword);
    await developerPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    const seen = await seenMessages(journey.server, developer.phone);
    await developerPage.getByRole('button', { name: 'Send code', exact: true }).click();
    const code = codeIn((await nextMessageTo(journey.server, developer.phone, seen)).text);
    await developerPage.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
    await developerPage.getByRole('button', { name: 'Verify and sign in', exact: true }).click();
    await developerPage.getByRole('heading', { name: 'Set a new password' }).waitFor();
  });
});
