import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedAccount, v1 } from '../support/api-account.js';
import { loadSmsPrices, rentNumber, stockNumber, usDestination } from '../support/messaging.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadSmsPrices(server);
  // Nothing leaves while these tests look: what a send holds stays held.
  await server.system.messageDispatcher.stop();
});
afterAll(() => server.stop());

/** 0.0065 a segment, one segment a destination. */
const SEGMENT_MICROS = 6_500n;

/** An account with 1.00 of credit (less the first month of the number it rents and sends from). */
async function smallAccount() {
  const account = await fundedAccount(server, '1');
  const number = await stockNumber(server);
  await rentNumber(server, account, number);
  return { ...account, number };
}

type Account = Awaited<ReturnType<typeof smallAccount>>;

/** Sends all at once, `sizes[i]` destinations each; answers each send's status and its message uuids. */
async function sendAtOnce(account: Account, sizes: number[]) {
  return Promise.all(
    sizes.map(async (size) => {
      const answer = await v1(server, account, 'POST', `/Account/${account.authId}/Message/`, {
        body: {
          src: account.number,
          dst: Array.from({ length: size }, usDestination).join('<'),
          text: 'Your code is 123456',
        },
      });
      return {
        size,
        status: answer.status,
        uuids: (answer.body.message_uuid ?? []) as string[],
        body: answer.body,
      };
    }),
  );
}

async function creditOf(accountId: string) {
  return server.system.credit.state(accountId);
}

async function messagesOf(account: Account) {
  const list = await v1(server, account, 'GET', `/Account/${account.authId}/Message/?limit=20`);
  return list.body.meta.total_count as number;
}

describe('sends arriving together against credit that covers only some of them', () => {
  it('accepts exactly as many as the free credit covers, refuses the rest with 402 and queues nothing for them', async () => {
    const account = await smallAccount();
    const { freeMicros } = await creditOf(account.accountId);
    const sendCost = 10n * SEGMENT_MICROS;
    const covered = Number(freeMicros / sendCost);
    expect(covered).toBeGreaterThan(1);

    const answers = await sendAtOnce(account, Array(covered + 6).fill(10));

    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(accepted).toHaveLength(covered);
    expect(refused).toHaveLength(6);
    for (const answer of refused) {
      expect(answer.status).toBe(402);
      expect(answer.body.error).toMatch(/out of credit.*nothing was queued/);
    }
    expect(await messagesOf(account)).toBe(covered * 10);
    const after = await creditOf(account.accountId);
    expect(after.heldMicros).toBe(BigInt(covered) * sendCost);
    expect(after.freeMicros).toBe(freeMicros - BigInt(covered) * sendCost);
  });

  it('decides each send against what the earlier ones left: a smaller send still fits after a larger one is refused', async () => {
    const account = await smallAccount();
    const { freeMicros } = await creditOf(account.accountId);
    const sizes = [7, 30, 2, 25, 9, 1, 40, 3, 12, 5, 18, 1, 4, 22, 6, 2];
    expect(BigInt(sizes.reduce((a, b) => a + b, 0)) * SEGMENT_MICROS).toBeGreaterThan(freeMicros);

    const answers = await sendAtOnce(account, sizes);

    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(refused.map((answer) => answer.status)).toEqual(refused.map(() => 402));
    for (const answer of accepted) expect(answer.uuids).toHaveLength(answer.size);
    const heldMicros = BigInt(accepted.reduce((sum, answer) => sum + answer.size, 0)) * SEGMENT_MICROS;
    const after = await creditOf(account.accountId);
    expect(after.heldMicros).toBe(heldMicros);
    expect(heldMicros).toBeLessThanOrEqual(freeMicros);
    // Whatever the order, each refused send cost more than was left when it was decided, and at least that much is left now.
    for (const answer of refused)
      expect(BigInt(answer.size) * SEGMENT_MICROS).toBeGreaterThan(after.freeMicros);
    expect(await messagesOf(account)).toBe(Number(heldMicros / SEGMENT_MICROS));
  });
});
