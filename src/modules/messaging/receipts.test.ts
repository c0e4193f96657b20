import { describe, expect, it } from 'vitest';
import { plivoStateOf, receiptOf } from './receipts.js';

const text = (stat: string, id = 'a1b2') =>
  `id:${id} sub:001 dlvrd:000 submit date:2612061200 done date:2612061201 stat:${stat} err:034 text:Hello`;

describe('delivery receipts', () => {
  it('reads the id, the state and the network error from the receipt text', () => {
    expect(receiptOf({ text: text('UNDELIV') })).toEqual({
      smscMessageId: 'a1b2',
      state: 'undelivered',
      errorCode: '034',
    });
  });

  it('prefers the receipted_message_id and message_state TLVs over the text', () => {
    expect(
      receiptOf({ text: text('ENROUTE', '2882400018'), receiptedMessageId: 'abcdef12', messageState: 2 }),
    ).toEqual({
      smscMessageId: 'abcdef12',
      state: 'delivered',
      errorCode: '034',
    });
  });

  it('ignores a deliver_sm that names no message or no known state', () => {
    expect(receiptOf({ text: 'stat:DELIVRD' })).toBeNull();
    expect(receiptOf({ text: text('WHATEVER') })).toBeNull();
  });

  it.each([
    ['delivered', 'delivered', null],
    ['enroute', 'sent', null],
    ['accepted', 'sent', null],
    ['expired', 'undelivered', 420],
    ['rejected', 'undelivered', 10],
    ['undelivered', 'undelivered', 1000],
    ['deleted', 'undelivered', 1000],
    ['skipped', 'undelivered', 1000],
    ['unknown', 'undelivered', 1000],
  ] as const)('maps an SMPP %s receipt to Plivo %s with error code %s', (state, messageState, errorCode) => {
    expect(plivoStateOf({ smscMessageId: 'x', state, errorCode: '000' })).toEqual({
      messageState,
      errorCode,
    });
  });
});
