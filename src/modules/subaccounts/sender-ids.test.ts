import { describe, expect, it } from 'vitest';
import { parseSenderId } from './sender-ids.js';

describe('sender IDs', () => {
  it('accepts alphanumeric IDs of 3 to 11 characters with a letter, and phone numbers in E.164', () => {
    expect(parseSenderId('ACME')).toEqual({ senderId: 'ACME', kind: 'alphanumeric' });
    expect(parseSenderId('Acme 24')).toEqual({ senderId: 'Acme 24', kind: 'alphanumeric' });
    expect(parseSenderId('+1 415 555 2671')).toEqual({ senderId: '+14155552671', kind: 'number' });
    expect(parseSenderId('14155552671')).toEqual({ senderId: '+14155552671', kind: 'number' });
  });
  it('refuses IDs carriers would not accept, saying why', () => {
    expect(() => parseSenderId('AB')).toThrow(/3 to 11/);
    expect(() => parseSenderId('TOOLONGSENDER')).toThrow(/3 to 11/);
    expect(() => parseSenderId('ACME!')).toThrow(/letters, digits or spaces/);
    expect(() => parseSenderId('+1 555')).toThrow(/not a valid phone number/);
  });
});
