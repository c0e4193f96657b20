import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackSmsc } from '../../../test/support/smsc.js';
import { type DeliveryReceipt, plivoStateOf } from './receipts.js';
import { segmentMessage } from './segments.js';
import { SmscConnection, SmscError } from './smsc.js';

const credentials = { systemId: 'switchboard', password: 's3cret' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connected() {
  const smsc = await startLoopbackSmsc(credentials);
  cleanups.push(smsc.close);
  const connection = await SmscConnection.open({
    url: smsc.url(),
    submitsPerSecond: 1000,
    rebindSeconds: 0.01,
  });
  cleanups.push(() => connection.close());
  return { smsc, connection };
}

function send(connection: SmscConnection, text: string, from = 'Switchboard') {
  const { encoding, parts } = segmentMessage(text);
  return connection.submit({ from, to: '+14155550101', parts, encoding, registeredDelivery: true });
}

describe('the SMSC connection', () => {
  it('submits a one-part GSM message as one submit_sm in the default alphabet, asking for a receipt', async () => {
    const { smsc, connection } = await connected();
    const text = 'Your order @ Café Δ ships today: €12 {ref 5}';

    const ids = await send(connection, text, '+14155550100');

    expect(ids).toEqual(['smsc-1']);
    expect(smsc.binds).toEqual([{ systemId: 'switchboard', accepted: true }]);
    expect(smsc.submitted).toEqual([
      {
        messageId: 'smsc-1',
        from: '14155550100',
        to: '14155550101',
        dataCoding: 0,
        esmClass: 0,
        registeredDelivery: 1,
        concatenation: null,
        text,
      },
    ]);
  });

  it('submits a 3-part GSM message as three submit_sm sharing one UDH reference, numbered 1 to 3', async () => {
    const { smsc, connection } = await connected();
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(9);
    const { parts } = segmentMessage(text);
    expect(parts).toHaveLength(3);

    const ids = await send(connection, text);

    expect(ids).toEqual(['smsc-1', 'smsc-2', 'smsc-3']);
    expect(smsc.submitted.map((part) => part.text)).toEqual(parts);
    const reference = smsc.submitted[0]?.concatenation?.reference;
    expect(smsc.submitted.map((part) => part.concatenation)).toEqual(
      [1, 2, 3].map((sequence) => ({ reference, total: 3, sequence })),
    );
    expect(smsc.submitted.every((part) => (part.esmClass & 0x40) === 0x40 && part.dataCoding === 0)).toBe(
      true,
    );
  });

  it('gives each concatenated message its own reference', async () => {
    const { smsc, connection } = await connected();
    const text = 'x'.repeat(200);
    await send(connection, text);
    await send(connection, text);
    const references = new Set(smsc.submitted.map((part) => part.concatenation?.reference));
    expect(references.size).toBe(2);
  });

  it('submits a UCS-2 message with data_coding 8 and its text survives the round trip', async () => {
    const { smsc, connection } = await connected();
    const text = 'Привет! Ваш код 482913 👋 — 你好';

    await send(connection, text);

    expect(smsc.submitted).toMatchObject([{ dataCoding: 8, esmClass: 0, concatenation: null, text }]);
  });

  it.each([
    ['DELIVRD', 'delivered', { messageState: 'delivered', errorCode: null }],
    ['UNDELIV', 'undelivered', { messageState: 'undelivered', errorCode: 1000 }],
    ['EXPIRED', 'expired', { messageState: 'undelivered', errorCode: 420 }],
    ['REJECTD', 'rejected', { messageState: 'undelivered', errorCode: 10 }],
  ] as const)('hands a %s receipt to onReceipt as %s, which is Plivo %o', async (stat, state, plivo) => {
    const { smsc, connection } = await connected();
    const receipts: DeliveryReceipt[] = [];
    connection.onReceipt((receipt) => {
      receipts.push(receipt);
    });
    const [id = ''] = await send(connection, 'Hello');

    const answer = await smsc.sendReceipt(id, stat, { err: '001' });

    expect(answer).toBe(0);
    expect(receipts).toEqual([{ smscMessageId: id, state, errorCode: '001' }]);
    expect(plivoStateOf(receipts[0] as DeliveryReceipt)).toEqual(plivo);
  });

  it('reads a receipt that has only the text, without the TLVs', async () => {
    const { smsc, connection } = await connected();
    const receipts: DeliveryReceipt[] = [];
    connection.onReceipt((receipt) => {
      receipts.push(receipt);
    });
    const [id = ''] = await send(connection, 'Hello');

    await smsc.sendReceipt(id, 'EXPIRED', { textOnly: true });

    expect(receipts).toEqual([{ smscMessageId: id, state: 'expired', errorCode: '000' }]);
  });

  it('answers a receipt with a temporary error when its handler fails, so the SMSC offers it again', async () => {
    const { smsc, connection } = await connected();
    connection.onReceipt(() => {
      throw new Error('database away');
    });
    const [id = ''] = await send(connection, 'Hello');

    expect(await smsc.sendReceipt(id, 'DELIVRD')).toBe(0x64);
  });

  it('answers a receipt with a temporary error while nothing listens for receipts yet', async () => {
    const { smsc, connection } = await connected();
    const [id = ''] = await send(connection, 'Hello');

    expect(await smsc.sendReceipt(id, 'DELIVRD')).toBe(0x64);
  });

  it('hands a message from a handset to onInbound, decoding UCS-2 and GSM', async () => {
    const { smsc, connection } = await connected();
    const receipts: DeliveryReceipt[] = [];
    const inbound: unknown[] = [];
    connection.onReceipt((receipt) => {
      receipts.push(receipt);
    });
    connection.onInbound((message) => {
      inbound.push(message);
    });

    expect(await smsc.sendInbound({ from: '14155550199', to: '14155550100', text: 'Да, спасибо 🙂' })).toBe(
      0,
    );
    await smsc.sendInbound({ from: '14155550199', to: '14155550100', text: 'STOP {now}', gsm: true });

    expect(inbound).toEqual([
      { from: '14155550199', to: '14155550100', text: 'Да, спасибо 🙂' },
      { from: '14155550199', to: '14155550100', text: 'STOP {now}' },
    ]);
    expect(receipts).toEqual([]);
  });

  it('binds again after the SMSC drops the connection and keeps submitting', async () => {
    const { smsc, connection } = await connected();
    await send(connection, 'before');

    const rebound = smsc.nextBind();
    smsc.dropConnections();
    await rebound;
    const ids = await send(connection, 'after');

    expect(smsc.binds).toEqual([
      { systemId: 'switchboard', accepted: true },
      { systemId: 'switchboard', accepted: true },
    ]);
    expect(ids).toEqual(['smsc-2']);
    expect(smsc.submitted.map((part) => part.text)).toEqual(['before', 'after']);
  });

  it('fails the submits still waiting for their turn when it is closed, instead of leaving them unanswered', async () => {
    const smsc = await startLoopbackSmsc(credentials);
    cleanups.push(smsc.close);
    // Two submits a second: the third of three waits about a second for its turn.
    const connection = await SmscConnection.open({ url: smsc.url(), submitsPerSecond: 2 });
    const submits = ['one', 'two', 'three'].map((text) =>
      send(connection, text).catch((error: unknown) => error),
    );
    await expect(submits[0]).resolves.toEqual(['smsc-1']);
    await connection.close();
    const outcomes = await Promise.all(submits);
    expect(outcomes[2]).toMatchObject({ code: 'closed' });
    expect(smsc.submitted.length).toBeLessThan(3);
  });

  it('refuses to open with a clear error when the SMSC refuses the credentials', async () => {
    const smsc = await startLoopbackSmsc(credentials);
    cleanups.push(smsc.close);

    const opening = SmscConnection.open({ url: smsc.url('wrong'), submitsPerSecond: 10 });

    await expect(opening).rejects.toThrow(SmscError);
    await expect(opening).rejects.toMatchObject({
      code: 'bind_refused',
      commandStatus: 0x0e,
      message: expect.stringMatching(/refused the bind as "switchboard".*check the system_id and password/),
    });
    expect(smsc.binds).toEqual([{ systemId: 'switchboard', accepted: false }]);
  });

  it('refuses to open with a clear error when nothing answers at the SMSC address', async () => {
    const smsc = await startLoopbackSmsc(credentials);
    await smsc.close();

    await expect(SmscConnection.open({ url: smsc.url(), submitsPerSecond: 10 })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining(`Could not reach the SMSC at 127.0.0.1:${smsc.port}`),
    });
  });
});
