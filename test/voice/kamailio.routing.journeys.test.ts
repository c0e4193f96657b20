import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredit, apiAccount, v1 } from '../support/api-account.js';
import { loadTestPrices, testEngine } from '../support/engine-usage.js';
import { kamailioSkipped, type RunningKamailio, startKamailio } from '../support/kamailio.js';
import { stockNumber } from '../support/messaging.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SipUa } from '../support/sip-ua.js';

/**
 * Where calls go through a real Kamailio (README, Voice with Kamailio): an endpoint's call to a
 * rented number rings the number's application endpoint and is rated as an outbound call to the
 * number; the carrier's call (from a SIP_CARRIER_ADDRESSES address, no digest) to a rented number
 * rings the same way and is an inbound call the renting account pays; an endpoint's call to a number
 * nobody rents goes out to the carrier (SIP_CARRIER_URI, Kamailio's --carrier). The carrier is a UA
 * of the test on 127.0.0.2.
 */
const skip = kamailioSkipped('Voice routing with Kamailio');
const PASSWORD = 'Correct-Horse-Battery-9';
const CARRIER_ADDRESS = '127.0.0.2';
/** The number the carrier's calls come from. */
const CALLER_ID = '14155550123';
/** US calls, by the second: outbound 0.60 a minute (0.01 a second), inbound 0.30 (0.005). */
const US_OUTBOUND_RATE_MICROS = 600_000n;
const US_INBOUND_RATE_MICROS = 300_000n;
/** Calls to endpoints (ZZ, ip): 1.20 a minute, which a call to a number must not be rated at. */
const SIP_RATE_MICROS = 1_200_000n;

let server: TestServer;
let kamailio: RunningKamailio;
let carrier: SipUa;
/** Kamailio's SIP address, known once it starts (and it needs the carrier's address first). */
const carrierProxy = { host: '127.0.0.1', port: 0 };
const phones: SipUa[] = [];

type Account = Awaited<ReturnType<typeof apiAccount>>;

/** An endpoint made through the Endpoint API, answering an application when given one. */
async function endpoint(account: Account, name: string, appId?: string): Promise<string> {
  const created = await v1(server, account, 'POST', `/Account/${account.authId}/Endpoint/`, {
    body: { username: name, password: PASSWORD, alias: name, ...(appId ? { app_id: appId } : {}) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.username as string;
}

/** A funded account renting a US number whose application has an endpoint: the number and the endpoint. */
async function numberWithEndpoint() {
  const account = await apiAccount(server);
  await addCredit(server, account.accountId, '10');
  const app = await v1(server, account, 'POST', `/Account/${account.authId}/Application/`, {
    body: { app_name: 'Front desk' },
  });
  const desk = await endpoint(account, 'desk', app.body.app_id);
  const number = await stockNumber(server);
  const rented = await v1(server, account, 'POST', `/Account/${account.authId}/PhoneNumber/${number}/`, {
    body: { app_id: app.body.app_id },
  });
  expect(rented.status, JSON.stringify(rented.body)).toBe(200);
  return { account, number, desk };
}

/** A funded account with an endpoint that calls out. */
async function caller() {
  const account = await apiAccount(server);
  await addCredit(server, account.accountId, '10');
  return { account, alice: await endpoint(account, 'alice') };
}

/** A registered softphone for the endpoint. */
async function phone(username: string) {
  const ua = await SipUa.open({
    proxy: kamailio.sip,
    domain: server.system.config.sipDomain,
    username,
    password: PASSWORD,
  });
  phones.push(ua);
  expect(await ua.register()).toBe(200);
  return ua;
}

/** The record of the call with this SIP Call-ID once Kamailio reported its end. */
async function completedCall(sipCallId: string) {
  const find = () =>
    server.system.database.db
      .selectFrom('calls')
      .selectAll()
      .where('sip_call_id', '=', sipCallId)
      .executeTakeFirst();
  await expect.poll(async () => (await find())?.state, { timeout: 15_000 }).toBe('completed');
  return (await find()) as NonNullable<Awaited<ReturnType<typeof find>>>;
}

const balanceOf = async (accountId: string) =>
  BigInt(
    (
      await server.system.database.db
        .selectFrom('accounts')
        .select('balance_micros')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).balance_micros,
  );

/** Lets an answered call run a moment, so it has seconds to charge. */
const talk = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe.skipIf(skip)('where calls go through Kamailio', () => {
  beforeAll(async () => {
    carrier = await SipUa.open({
      proxy: carrierProxy,
      domain: 'carrier.invalid',
      username: CALLER_ID,
      password: '',
      host: CARRIER_ADDRESS,
    });
    server = await startTestServer({
      SIP_CARRIER_ADDRESSES: CARRIER_ADDRESS,
      SIP_CARRIER_URI: `sip:${CARRIER_ADDRESS}:${carrier.port}`,
    });
    const engine = await testEngine(server, 'kamailio');
    kamailio = await startKamailio({
      switchboardUrl: server.url,
      engineKey: engine.key,
      sipDomain: server.system.config.sipDomain,
      carrierUri: `sip:${CARRIER_ADDRESS}:${carrier.port}`,
      carrierAddresses: [CARRIER_ADDRESS],
    });
    Object.assign(carrierProxy, kamailio.sip);
    const bySecond = { initial_increment: 1, subsequent_increment: 1 };
    await loadTestPrices(server, [
      {
        country_iso: 'ZZ',
        product: 'voice',
        direction: 'outbound',
        number_type: 'ip',
        rate_micros: SIP_RATE_MICROS,
        ...bySecond,
      },
      {
        country_iso: 'US',
        product: 'voice',
        direction: 'outbound',
        rate_micros: US_OUTBOUND_RATE_MICROS,
        ...bySecond,
      },
      {
        country_iso: 'US',
        product: 'voice',
        direction: 'inbound',
        rate_micros: US_INBOUND_RATE_MICROS,
        ...bySecond,
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const ua of phones) ua.close();
    carrier?.close();
    await kamailio?.stop();
    await server?.stop();
  });

  it("rings the rented number's application endpoint when an endpoint calls the number, rated as an outbound call to the number", async () => {
    const { account: callerAccount, alice } = await caller();
    const { account: renter, number, desk } = await numberWithEndpoint();
    const alicePhone = await phone(alice);
    const deskPhone = await phone(desk);
    const renterBalance = await balanceOf(renter.accountId);

    const call = alicePhone.invite(number);
    const incoming = await deskPhone.nextIncoming();
    expect(incoming.invite.uri).toContain(`sip:${desk}@`);
    expect(await call.status()).toBe(200);
    await incoming.acked.promise;
    await talk();
    expect(await call.hangup()).toBe(200);
    await incoming.byeReceived;

    const record = await completedCall(call.callId);
    expect(record).toMatchObject({
      account_id: callerAccount.accountId,
      direction: 'outbound',
      route: 'endpoint',
      target: `sip:${desk}@${server.system.config.sipDomain}`,
      from_number: alice,
      to_number: number,
      hangup_source: 'caller',
    });
    // The US price of the number called, not the price of calls to endpoints.
    expect(BigInt(record.rate_micros)).toBe(US_OUTBOUND_RATE_MICROS);
    expect(record.billed_duration_seconds).toBeGreaterThanOrEqual(1);
    expect(BigInt(record.amount_micros)).toBe(BigInt(record.billed_duration_seconds ?? 0) * 10_000n);
    expect(await balanceOf(callerAccount.accountId)).toBe(10_000_000n - BigInt(record.amount_micros));
    // The renting account pays nothing for a call it receives from an endpoint.
    expect(await balanceOf(renter.accountId)).toBe(renterBalance);
  });

  it("takes the carrier's call to a rented number without a digest and rings the number's application endpoint, an inbound call the renting account pays", async () => {
    const { account: renter, number, desk } = await numberWithEndpoint();
    const deskPhone = await phone(desk);
    const renterBalance = await balanceOf(renter.accountId);

    const call = carrier.invite(number);
    const incoming = await deskPhone.nextIncoming();
    expect(incoming.from).toBe(CALLER_ID);
    expect(await call.status()).toBe(200);
    expect(call.responses.map((response) => response.status)).not.toContain(407);
    await incoming.acked.promise;
    await talk();
    // The endpoint hangs up this time: the carrier gets the BYE.
    expect(await incoming.hangup()).toBe(200);
    await call.byeReceived;

    const record = await completedCall(call.callId);
    expect(record).toMatchObject({
      account_id: renter.accountId,
      direction: 'inbound',
      route: 'endpoint',
      target: `sip:${desk}@${server.system.config.sipDomain}`,
      from_number: CALLER_ID,
      to_number: number,
      caller_endpoint_id: null,
      hangup_source: 'callee',
    });
    expect(BigInt(record.rate_micros)).toBe(US_INBOUND_RATE_MICROS);
    expect(record.billed_duration_seconds).toBeGreaterThanOrEqual(1);
    expect(BigInt(record.amount_micros)).toBe(BigInt(record.billed_duration_seconds ?? 0) * 5_000n);
    expect(await balanceOf(renter.accountId)).toBe(renterBalance - BigInt(record.amount_micros));
    const listed = await v1(server, renter, 'GET', `/Account/${renter.authId}/Call/?call_direction=inbound`);
    expect(listed.body.objects.map((c: { call_uuid: string }) => c.call_uuid)).toEqual([record.id]);
  });

  it('sends an endpoint’s call to a number nobody rents out to the carrier, rated as an outbound call to the number', async () => {
    const { account: callerAccount, alice } = await caller();
    const alicePhone = await phone(alice);
    const unrented = freshUsNumber();

    const call = alicePhone.invite(unrented);
    const atCarrier = await carrier.nextIncoming();
    expect(atCarrier.invite.uri).toBe(`sip:${unrented}@${CARRIER_ADDRESS}:${carrier.port}`);
    expect(atCarrier.from).toBe(alice);
    expect(await call.status()).toBe(200);
    await atCarrier.acked.promise;
    await talk();
    expect(await call.hangup()).toBe(200);
    await atCarrier.byeReceived;

    const record = await completedCall(call.callId);
    expect(record).toMatchObject({
      account_id: callerAccount.accountId,
      direction: 'outbound',
      route: 'carrier',
      target: `sip:${unrented}@${CARRIER_ADDRESS}:${carrier.port}`,
      from_number: alice,
      to_number: unrented,
      hangup_source: 'caller',
    });
    expect(BigInt(record.rate_micros)).toBe(US_OUTBOUND_RATE_MICROS);
    expect(record.billed_duration_seconds).toBeGreaterThanOrEqual(1);
    expect(BigInt(record.amount_micros)).toBe(BigInt(record.billed_duration_seconds ?? 0) * 10_000n);
    expect(await balanceOf(callerAccount.accountId)).toBe(10_000_000n - BigInt(record.amount_micros));
  });
});
