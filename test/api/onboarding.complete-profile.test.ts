import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountErrors } from '../../src/modules/accounts/errors.js';
import { addCredit, v1 } from '../support/api-account.js';
import { onboardedUser, setUpStaff, signInStaff, userIdOf } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** An owner whose account is held for review, with the business details given. */
async function heldWith(profile: { website: string; intendedUse: string }) {
  const owner = await onboardedUser(server, { businessProfile: false });
  const held = await owner.client.post('/api/onboarding/business-profile', {
    companyName: 'Acme Telecom',
    country: 'US',
    ...profile,
  });
  expect(held.body.account.status, JSON.stringify(held.body)).toBe('under_review');
  const accountId = held.body.account.id as string;
  return { ...owner, accountId, authId: held.body.account.authId as string };
}

const complete = (email: string) => ({
  companyName: 'Acme Telecom',
  website: `https://${email.split('@')[1]}`,
  country: 'US',
  intendedUse: 'Sign-in codes by SMS for our customers',
});

async function reviewQueue() {
  const staff = await signInStaff(server, await setUpStaff(server));
  return (await staff.get('/api/staff/reviews')).body.accounts as { id: string; reviewReason: string }[];
}

async function auditedFor(accountId: string) {
  return server.system.database.db
    .selectFrom('audit_events')
    .select(['action', 'details', 'user_id'])
    .where('account_id', '=', accountId)
    .where('action', 'in', ['account.activated', 'account.held_for_review'])
    .orderBy('id')
    .execute();
}

describe('completing the business details of an account held as incomplete', () => {
  it('activates the account at once when no other rule holds it, audited with the earlier reason', async () => {
    const owner = await heldWith({ website: '', intendedUse: '' });
    const response = await owner.client.post('/api/onboarding/business-profile', complete(owner.email));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.account).toMatchObject({
      status: 'active',
      review: null,
      businessProfile: complete(owner.email),
    });
    expect((await owner.client.get('/api/me')).body.account.status).toBe('active');
    expect((await reviewQueue()).some((held) => held.id === owner.accountId)).toBe(false);
    const events = await auditedFor(owner.accountId);
    expect(events.map((event) => event.action)).toEqual(['account.held_for_review', 'account.activated']);
    expect(events[1]).toMatchObject({
      user_id: await userIdOf(owner.client),
      details: {
        completedProfile: true,
        previousReason: 'incomplete_documentation: Missing business details: website, intended use',
      },
    });
  });

  it('rents through the API at once after the completed details activate it', async () => {
    const owner = await heldWith({ website: '', intendedUse: 'Alerts' });
    const { authToken } = await server.system.credentials.view(owner.accountId);
    const credentials = { authId: owner.authId, authToken: authToken ?? '' };
    const number = freshUsNumber();
    await server.system.numbers.load(
      { ip: 'test', userAgent: null },
      `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
    );
    const rentPath = `/Account/${owner.authId}/PhoneNumber/${number}/`;
    expect((await v1(server, credentials, 'POST', rentPath, { body: {} })).status).toBe(400);

    await owner.client.post('/api/onboarding/business-profile', complete(owner.email));
    await addCredit(server, owner.accountId);
    const rented = await v1(server, credentials, 'POST', rentPath, { body: {} });
    expect(rented.status, JSON.stringify(rented.body)).toBe(200);
  });

  it('keeps the account held with the new reason when another rule now holds it, and emails nothing more', async () => {
    const owner = await heldWith({ website: '', intendedUse: '' });
    const emailsBefore = (await messagesTo(server, owner.email)).length;
    const response = await owner.client.post('/api/onboarding/business-profile', {
      ...complete(owner.email),
      website: 'https://unrelated.example',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.account).toMatchObject({
      status: 'under_review',
      review: { reasonClass: 'business_information', reason: 'Business information needs verification' },
      businessProfile: { website: 'https://unrelated.example' },
    });
    expect((await reviewQueue()).find((held) => held.id === owner.accountId)?.reviewReason).toBe(
      'business_information: Website domain unrelated.example differs from email domain acme-telecom.com',
    );
    expect((await auditedFor(owner.accountId)).map((event) => event.action)).toEqual([
      'account.held_for_review',
      'account.held_for_review',
    ]);
    expect(await messagesTo(server, owner.email)).toHaveLength(emailsBefore);

    // Held for another reason now: submitting again cannot replace the details under review.
    const again = await owner.client.post('/api/onboarding/business-profile', complete(owner.email));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(AccountErrors.profileAlreadySubmitted);
    expect((await owner.client.get('/api/me')).body.account).toMatchObject({
      status: 'under_review',
      businessProfile: { website: 'https://unrelated.example' },
    });
  });

  it('refuses new details from an account held for another reason, leaving it held as it was', async () => {
    const owner = await heldWith({ website: 'https://unrelated.example', intendedUse: 'Alerts' });
    const response = await owner.client.post('/api/onboarding/business-profile', complete(owner.email));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(AccountErrors.profileAlreadySubmitted);
    expect((await owner.client.get('/api/me')).body.account).toMatchObject({
      status: 'under_review',
      review: { reasonClass: 'business_information' },
      businessProfile: { website: 'https://unrelated.example' },
    });
    expect((await auditedFor(owner.accountId)).map((event) => event.action)).toEqual([
      'account.held_for_review',
    ]);
  });

  it('refuses new details from an active account', async () => {
    const owner = await onboardedUser(server);
    const response = await owner.client.post('/api/onboarding/business-profile', {
      ...complete(owner.email),
      website: 'https://unrelated.example',
    });
    expect(response.status).toBe(409);
    expect((await owner.client.get('/api/me')).body.account).toMatchObject({
      status: 'active',
      businessProfile: { website: `https://${owner.email.split('@')[1]}` },
    });
  });
});
