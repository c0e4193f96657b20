import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1 } from '../support/api-account.js';
import { until } from '../support/callback-receiver.js';
import { loadSmsPrices, messagingAccount, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

import { startLoopbackSmsc } from '../support/smsc.js';

/**
 * The network between Switchboard and the loopback SMSC, as a TCP relay the test controls: it can
 * swallow what Switchboard sends (a submit_sm that never arrives, so it is never answered) and cut
 * every connection, as a failing network or an SMSC restart does.
 */
async function startRelay(targetPort: number) {
  const connections = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let swallowing = false;
  let swallowed = 0;
  let down = false;
  const cutAll = () => {
    for (const { client, upstream } of [...connections]) {
      client.destroy();
      upstream.end();
    }
  };
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const connection = { client, upstream };
    connections.add(connection);
    client.on('data', (chunk) => {
      if (swallowing) swallowed += chunk.length;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    // The SMSC's side is closed gracefully (the loopback SMSC has no handler for a reset).
    const end = () => {
      connections.delete(connection);
      client.destroy();
      upstream.end();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** From now on, what Switchboard sends goes nowhere. */
    swallow: () => {
      swallowing = true;
    },
    /** Bytes swallowed so far. */
    swallowed: () => swallowed,
    /** Cuts every connection; new ones are relayed again. */
    cut: () => {
      swallowing = false;
      cutAll();
    },
    /** Cuts every connection and refuses new ones until `up`, as an SMSC that is away. */
    down: () => {
      down = true;
      cutAll();
    },
    up: () => {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}

const credentials = { systemId: 'switchboard', password: 's3cret' };
let smsc: Awaited<ReturnType<typeof startLoopbackSmsc>>;
let relay: Awaited<ReturnType<typeof startRelay>>;
let server: TestServer;
/** A Switchboard whose SMSC is the loopback SMSC behind the relay, binding again every second. */
const throughRelay = () => ({
  SMSC_URL: `smpp://${credentials.systemId}:${credentials.password}@127.0.0.1:${relay.port}`,
  SMSC_REBIND_SECONDS: '1',
});
beforeAll(async () => {
  smsc = await startLoopbackSmsc(credentials);
  relay = await startRelay(smsc.port);
  server = await startTestServer(throughRelay());
  await loadSmsPrices(server);
});

const stateOf = async (uuid: string) =>
  (
    await server.system.database.db
      .selectFrom('messages')
      .select('state')
      .where('id', '=', uuid)
      .executeTakeFirstOrThrow()
  ).state;
afterAll(async () => {
  await server.stop();
  await relay.close();
  await smsc.close();
});

describe('an SMSC connection that drops', () => {
  it('puts the message in flight back in the queue and sends it once after the new bind', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();

    relay.swallow();
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text: 'Lost in the wire' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const [uuid = ''] = answer.body.message_uuid as string[];
    await until(
      'the submit_sm is in flight',
      async () => (await stateOf(uuid)) === 'sending' && relay.swallowed() > 0,
    );

    const rebound = smsc.nextBind();
    relay.cut();
    await until('the message is queued again', async () => (await stateOf(uuid)) === 'queued');
    await rebound;
    expect(smsc.binds.filter((bind) => bind.accepted)).toHaveLength(2);
    expect(smsc.submitted.filter((part) => part.to === to)).toEqual([]);

    // Tried again once the retry pause (5 s) has passed.
    server.clock.advanceMilliseconds(5_000);
    await server.system.messageDispatcher.round();
    await until('the message is sent', async () => (await stateOf(uuid)) === 'sent');
    const parts = smsc.submitted.filter((part) => part.to === to);
    expect(parts).toEqual([expect.objectContaining({ text: 'Lost in the wire', from: account.number })]);
    expect(await smsc.sendReceipt(parts[0]?.messageId ?? '', 'DELIVRD')).toBe(0);
    const message = await v1(server, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`);
    expect(message.body).toMatchObject({ message_state: 'delivered', total_amount: '0.00650' });
    const charges = await server.system.database.db
      .selectFrom('usage_records')
      .select('amount_micros')
      .where('event_id', '=', uuid)
      .execute();
    expect(charges).toEqual([{ amount_micros: 6_500n }]);
  });

  it('sends a message that waited minutes for the SMSC to come back once: its claim is kept, not taken for stranded', async () => {
    const account = await messagingAccount(server);
    const to = usDestination();
    relay.down();
    const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: to, text: 'Patience' },
    });
    const [uuid = ''] = answer.body.message_uuid as string[];
    await until('the message waits for the SMSC', async () => (await stateOf(uuid)) === 'sending');

    // Three minutes without an SMSC: past the time after which a claim counts as an instance's that died.
    server.clock.advanceMilliseconds(3 * 60_000);
    await server.system.messageDispatcher.round();

    const rebound = smsc.nextBind();
    relay.up();
    await rebound;
    await until('the message is sent', async () => (await stateOf(uuid)) === 'sent');
    // A message sent after it leaves after any second copy would have (submits go in order).
    const later = usDestination();
    await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
      body: { src: account.number, dst: later, text: 'Marker' },
    });
    await until('the next message reached the SMSC', () => smsc.submitted.some((part) => part.to === later));
    expect(smsc.submitted.filter((part) => part.to === to)).toEqual([
      expect.objectContaining({ text: 'Patience' }),
    ]);
  });

  it('stops without waiting for an SMSC that is away, and the message goes after the next start', async () => {
    const first = await startTestServer(throughRelay(), { restartable: true });
    let second: TestServer | undefined;
    try {
      await loadSmsPrices(first);
      const account = await messagingAccount(first);
      const to = usDestination();
      relay.down();
      const answer = await v1(first, account, 'POST', `/Account/${account.authId}/Message/`, {
        body: { src: account.number, dst: to, text: 'See you after the restart' },
      });
      const [uuid = ''] = answer.body.message_uuid as string[];
      await until('the message waits for the SMSC', async () => {
        const row = await first.system.database.db
          .selectFrom('messages')
          .select('state')
          .where('id', '=', uuid)
          .executeTakeFirstOrThrow();
        return row.state === 'sending';
      });

      await first.stop();

      relay.up();
      second = await startTestServer(throughRelay(), { restartOf: first });
      const restarted = second;
      restarted.clock.advanceMilliseconds(5_000);
      await restarted.system.messageDispatcher.round();
      const sent = await until('the message is sent after the restart', async () => {
        const message = await v1(restarted, account, 'GET', `/Account/${account.authId}/Message/${uuid}/`);
        return message.body.message_state === 'sent' ? message.body : undefined;
      });
      expect(sent).toMatchObject({ total_amount: '0.00650' });
      expect(smsc.submitted.filter((part) => part.to === to)).toEqual([
        expect.objectContaining({ text: 'See you after the restart' }),
      ]);
    } finally {
      await second?.stop();
    }
  });
});
