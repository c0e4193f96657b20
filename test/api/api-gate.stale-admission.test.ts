import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountChanges } from '../../src/modules/gate/invalidation.js';
import { addCredit, fundedAccount, v1 } from '../support/api-account.js';
import { onboardedUser, setUpStaff, signInStaff } from '../support/journeys.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';

// A security change made on one instance must refuse the next request on every instance, not after
// the cache's minute. On PostgreSQL the change is made on one instance and the requests go to another
// (as behind a load balancer); PGlite is one process's database, so there one instance does both.
const twoInstances = process.env.TEST_TARGET === 'postgres';

let changer: TestServer;
let caller: TestServer;
beforeAll(async () => {
  changer = await startTestServer();
  caller = twoInstances ? await startTestServer({}, { sameDatabaseAs: changer }) : changer;
});
afterAll(async () => {
  if (caller !== changer) await caller?.stop();
  await changer?.stop();
});

type Credentials = { authId: string; authToken: string };

/** Resolves once the caller instance has heard that this account changed (its gate cache hears it first). */
function heardOnCaller(authId: string): Promise<void> {
  const changes = accountChanges(caller.system.database.db);
  return new Promise((resolve) => {
    const hear = (changed: string) => {
      if (changed !== authId) return;
      changes.off('changed', hear);
      resolve();
    };
    changes.on('changed', hear);
  });
}

/** Makes a change on the changer instance and waits until the caller instance heard about the account. */
async function change(authId: string, make: () => Promise<unknown>) {
  const heard = heardOnCaller(authId);
  await make();
  await heard;
}

const account = (server: TestServer, who: Credentials, options: { ip?: string } = {}) =>
  v1(server, who, 'GET', `/Account/${who.authId}/`, options);

/** An active main account and an enabled subaccount, both with their API credentials. */
async function family() {
  const main = await fundedAccount(changer);
  const created = await main.client.post('/api/subaccounts', { name: 'Acme EU' });
  expect(created.status).toBe(201);
  const sub: Credentials = { authId: created.body.authId, authToken: created.body.authToken };
  return { main, sub };
}

/** A main account held for review, with a subaccount; the API admits both while the review lasts. */
async function heldFamily() {
  const owner = await onboardedUser(changer, { businessProfile: false });
  const held = await owner.client.post('/api/onboarding/business-profile', {
    companyName: 'Acme Telecom',
    website: 'https://unrelated.example',
    country: 'US',
    intendedUse: 'Appointment reminders by SMS',
  });
  expect(held.body.account.status).toBe('under_review');
  const accountId = held.body.account.id as string;
  const { authToken } = await changer.system.credentials.view(accountId);
  const main = {
    ...owner,
    accountId,
    authId: held.body.account.authId as string,
    authToken: authToken as string,
  };
  const created = await owner.client.post('/api/subaccounts', { name: 'Acme EU' });
  expect(created.status).toBe(201);
  const sub: Credentials = { authId: created.body.authId, authToken: created.body.authToken };
  return { main, sub };
}

async function staffOn(server: TestServer) {
  return signInStaff(server, await setUpStaff(server));
}

const stockNumber = async () => {
  const number = freshUsNumber();
  await changer.system.numbers.load(
    { ip: 'test', userAgent: null },
    `number,country_iso,type,region,voice,sms,monthly_rental\n${number},US,local,"California, UNITED STATES",true,true,0.8\n`,
  );
  return number;
};

describe('a cached account loses API access on the next request after a security change', () => {
  it('refuses a subaccount from outside the list once its main account turns IP whitelisting on', async () => {
    const { main, sub } = await family();
    expect((await account(caller, sub, { ip: '198.18.0.7' })).status).toBe(200);
    expect((await main.client.post('/api/ip-whitelist', { cidr: '192.0.2.0/24' })).status).toBe(201);
    await change(main.authId, async () => {
      const enabled = await main.client.put('/api/ip-whitelist/enabled', {
        enabled: true,
        confirmLockout: true,
      });
      expect(enabled.status).toBe(204);
    });
    const refused = await account(caller, sub, { ip: '198.18.0.7' });
    expect([refused.status, refused.body.error]).toEqual([403, expect.stringMatching(/198\.18\.0\.7/)]);
    expect((await account(caller, sub, { ip: '192.0.2.10' })).status).toBe(200);
  });

  it('refuses the main account and its subaccount once staff reject the account', async () => {
    const { main, sub } = await heldFamily();
    expect((await account(caller, main)).status).toBe(200);
    expect((await account(caller, sub)).status).toBe(200);
    const staff = await staffOn(changer);
    await change(main.authId, async () => {
      const decided = await staff.post(`/api/staff/reviews/${main.accountId}/decision`, {
        decision: 'reject',
        note: 'The website does not belong to the company.',
      });
      expect(decided.status).toBe(200);
    });
    const refusedMain = await account(caller, main);
    const refusedSub = await account(caller, sub);
    expect([refusedMain.status, refusedMain.body.error]).toEqual([
      403,
      expect.stringMatching(/not activated/),
    ]);
    expect([refusedSub.status, refusedSub.body.error]).toEqual([403, expect.stringMatching(/not activated/)]);
  });

  it('lets an approved account rent a number on the next request (the cached status was under review)', async () => {
    const { main } = await heldFamily();
    const number = await stockNumber();
    const early = await v1(caller, main, 'POST', `/Account/${main.authId}/PhoneNumber/${number}/`, {
      body: {},
    });
    expect([early.status, early.body.error]).toEqual([400, expect.stringMatching(/must be active/)]);
    const staff = await staffOn(changer);
    await change(main.authId, async () => {
      const decided = await staff.post(`/api/staff/reviews/${main.accountId}/decision`, {
        decision: 'approve',
        note: '',
      });
      expect(decided.status).toBe(200);
    });
    await addCredit(changer, main.accountId);
    const rented = await v1(caller, main, 'POST', `/Account/${main.authId}/PhoneNumber/${number}/`, {
      body: {},
    });
    expect(rented.status).toBe(200);
  });

  it('refuses a subaccount once its main account is suspended', async () => {
    const { main, sub } = await family();
    expect((await account(caller, sub)).status).toBe(200);
    await change(main.authId, () =>
      changer.system.accounts.lifecycle.transition({ ip: 'test', userAgent: null }, main.accountId, {
        to: 'suspended',
        by: 'staff',
        reason: 'Unpaid invoices.',
      }),
    );
    const refused = await account(caller, sub);
    expect([refused.status, refused.body.error]).toEqual([403, expect.stringMatching(/suspended/)]);
  });

  it('refuses a subaccount once it is disabled, and once it is deleted', async () => {
    const { main, sub } = await family();
    expect((await account(caller, sub)).status).toBe(200);
    await change(sub.authId, async () => {
      expect((await main.client.patch(`/api/subaccounts/${sub.authId}`, { enabled: false })).status).toBe(
        204,
      );
    });
    const disabled = await account(caller, sub);
    expect([disabled.status, disabled.body.error]).toEqual([403, expect.stringMatching(/disabled/)]);
    await change(sub.authId, async () => {
      expect((await main.client.delete(`/api/subaccounts/${sub.authId}`)).status).toBe(204);
    });
    expect((await account(caller, sub)).status).toBe(401);
  });

  it('refuses a revoked token of the main account and of a subaccount', async () => {
    const { main, sub } = await family();
    expect((await account(caller, main)).status).toBe(200);
    expect((await account(caller, sub)).status).toBe(200);
    await change(main.authId, async () => {
      expect((await main.client.post('/api/credentials/tokens', { keepOldTokens: false })).status).toBe(201);
    });
    expect((await account(caller, main)).status).toBe(401);
    await change(sub.authId, async () => {
      const fresh = await main.client.post(`/api/subaccounts/${sub.authId}/tokens`, { keepOldTokens: false });
      expect(fresh.status).toBe(201);
    });
    expect((await account(caller, sub)).status).toBe(401);
  });

  it('applies a lower rate limit set by staff to the main account and its subaccount', async () => {
    const { main, sub } = await family();
    expect((await account(caller, main)).headers.get('x-ratelimit-limit')).toBe('20');
    expect((await account(caller, sub)).headers.get('x-ratelimit-limit')).toBe('20');
    const staff = await staffOn(changer);
    await change(main.authId, async () => {
      const set = await staff.put(`/api/staff/accounts/${main.accountId}/rate-limits`, {
        standard: 5,
        reason: 'Abuse',
      });
      expect(set.status).toBe(200);
    });
    expect((await account(caller, main)).headers.get('x-ratelimit-limit')).toBe('5');
    expect((await account(caller, sub)).headers.get('x-ratelimit-limit')).toBe('5');
  });
});
