import smpp, { type Pdu } from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import { until } from '../support/callback-receiver.js';
import { loadSmsPrices, messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ESME_RTHROTTLED = 0x58;
const ESME_RINVDSTADR = 0x0b;

/**
 * An SMSC made with the smpp package that answers each submit_sm with the status its test sets
 * for the destination (once), else takes it; it records every submit_sm it was sent.
 */
async function startRefusingSmsc() {
  const refusals = new Map<string, number>();
  const submitted: { to: string; status: number }[] = [];
  const server = smpp.createServer((session) => {
    session.on('bind_transceiver', (pdu: Pdu) => session.send(pdu.response()));
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      const to = String(pdu.destination_addr);
      const status = refusals.get(to) ?? 0;
      refusals.delete(to);
      submitted.push({ to, status });
      session.send(
        pdu.response(status === 0 ? { message_id: `ok-${submitted.length}` } : { command_status: status }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smpp://switchboard:s3cret@127.0.0.1:${server.address().port}`,
    submitted,
    /** The next submit_sm to this destination is answered with this status. */
    refuseNext: (to: string, status: number) => refusals.set(to, status),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of [...server.sessions]) session.destroy();
        server.close(() => resolve());
      }),
  };
}

let smsc: Awaited<ReturnType<typeof startRefusingSmsc>>;
let server: TestServer;
beforeAll(async () => {
  smsc = await startRefusingSmsc();
  server = await startTestServer({ SMSC_URL: smsc.url });
  await loadSmsPrices(server);
});
afterAll(async () => {
  await server.stop();
  await smsc.close();
});

describe('an SMSC that refuses a submit_sm', () => {
  it('when throttling: the message waits in the queue and goes once the pause has passed, charged once', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    smsc.refuseNext(to, ESME_RTHROTTLED);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text: 'Busy line' },
    });
    const [uuid = ''] = answer.body.message_uuid as string[];
    const messageOf = async () =>
      (await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`)).body;

    await until('the SMSC throttled the message', () => smsc.submitted.some((submit) => submit.to === to));
    expect((await messageOf()).message_state).toBe('queued');

    server.clock.advanceMilliseconds(5_000);
    await server.system.messageDispatcher.round();
    const sent = await until('the message is sent', async () => {
      const message = await messageOf();
      return message.message_state === 'sent' ? message : undefined;
    });
    expect(sent).toMatchObject({ total_amount: '0.00650', error_code: null });
    expect(smsc.submitted.filter((submit) => submit.to === to)).toEqual([
      { to, status: ESME_RTHROTTLED },
      { to, status: 0 },
    ]);
    const charges = await server.system.database.db
      .selectFrom('usage_records')
      .select('amount_micros')
      .where('event_id', '=', uuid)
      .execute();
    expect(charges).toEqual([{ amount_micros: 6_500n }]);
  });

  it('for good (an invalid destination): the message fails with error code 1000, uncharged, its hold released', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    smsc.refuseNext(to, ESME_RINVDSTADR);
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text: 'Nobody home' },
    });
    const [uuid = ''] = answer.body.message_uuid as string[];

    const failed = await until('the message failed', async () => {
      const message = (await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`)).body;
      return message.message_state === 'failed' ? message : undefined;
    });
    expect(failed).toMatchObject({ error_code: '1000', total_amount: '0.00000' });
    expect(smsc.submitted.filter((submit) => submit.to === to)).toEqual([{ to, status: ESME_RINVDSTADR }]);
    const charges = await server.system.database.db
      .selectFrom('usage_records')
      .select('amount_micros')
      .where('event_id', '=', uuid)
      .execute();
    expect(charges).toEqual([]);
    const held = await server.system.database.db
      .selectFrom('accounts')
      .select('held_micros')
      .where('id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(held.held_micros).toBe(0n);
  });
});
