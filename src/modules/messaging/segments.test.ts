import { describe, expect, it } from 'vitest';
import { isGsmText, segmentMessage } from './segments.js';

const a = (count: number) => 'a'.repeat(count);
/** Cyrillic ya: one UTF-16 unit, outside the GSM alphabet. */
const ya = (count: number) => 'я'.repeat(count);
const lengths = (parts: string[]) => parts.map((part) => part.length);

describe('the GSM-7 alphabet of 3GPP TS 23.038', () => {
  it('takes letters, digits, punctuation, line breaks and the accented letters of the default alphabet', () => {
    expect(isGsmText('Hello, World! 0123456789 @£$¥ èéùìòÇ Øø Åå ÆæßÉ ¡¿ ÄÖÑÜ§ äöñüà ¤ _\n\r')).toBe(true);
  });
  it('takes the Greek capitals of the default alphabet and no other Greek letter', () => {
    expect(isGsmText('ΔΦΓΛΩΠΨΣΘΞ')).toBe(true);
    expect(isGsmText('α')).toBe(false);
    expect(isGsmText('Α')).toBe(false);
  });
  it('takes the extension table: ^ { } \\ [ ~ ] | € and the form feed', () => {
    expect(isGsmText('^{}\\[~]|€\f')).toBe(true);
  });
  it('refuses characters the alphabet lacks: ç (only Ç is there), a tab, the escape septet itself, `', () => {
    expect(isGsmText('ç')).toBe(false);
    expect(isGsmText('\t')).toBe(false);
    expect(isGsmText('\u001b')).toBe(false);
    expect(isGsmText('`')).toBe(false);
  });
});

describe('GSM-7 messages', () => {
  it('sends a short text as one part', () => {
    expect(segmentMessage('Your code is 123456')).toEqual({
      encoding: 'GSM',
      units: 1,
      characters: 19,
      parts: ['Your code is 123456'],
    });
  });
  it('fits 160 characters in one part and cuts 161 into 153 + 8', () => {
    expect(segmentMessage(a(160))).toMatchObject({ encoding: 'GSM', units: 1, characters: 160 });
    const long = segmentMessage(a(161));
    expect(long).toMatchObject({ encoding: 'GSM', units: 2, characters: 161 });
    expect(lengths(long.parts)).toEqual([153, 8]);
  });
  it('fills two parts with 306 characters and needs a third for 307', () => {
    expect(lengths(segmentMessage(a(153 * 2)).parts)).toEqual([153, 153]);
    expect(lengths(segmentMessage(a(153 * 2 + 1)).parts)).toEqual([153, 153, 1]);
  });
  it('counts a single € as two septets without leaving GSM-7', () => {
    expect(segmentMessage(`${a(158)}€`)).toMatchObject({ encoding: 'GSM', units: 1, characters: 159 });
    const over = segmentMessage(`${a(159)}€`);
    expect(over).toMatchObject({ encoding: 'GSM', units: 2, characters: 160 });
    expect(over.parts).toEqual([a(153), `${a(6)}€`]);
  });
  it('counts the form feed as two septets too', () => {
    expect(segmentMessage(`${a(158)}\f`).units).toBe(1);
    expect(segmentMessage(`${a(159)}\f`).units).toBe(2);
  });
  it('keeps an extension character whole when it would straddle a part boundary', () => {
    const straddling = segmentMessage(`${a(152)}€${a(10)}`);
    expect(straddling.encoding).toBe('GSM');
    expect(straddling.parts).toEqual([a(152), `€${a(10)}`]);
  });
  it('lets an extension character end a part exactly at 153 septets', () => {
    const exact = segmentMessage(`${a(151)}€${a(10)}`);
    expect(exact.parts).toEqual([`${a(151)}€`, a(10)]);
  });
  it('fits 80 extension characters in one part and cuts 81 into 76 + 5', () => {
    expect(segmentMessage('€'.repeat(80)).units).toBe(1);
    expect(lengths(segmentMessage('€'.repeat(81)).parts)).toEqual([76, 5]);
  });
});

describe('UCS-2 messages', () => {
  it('fits 70 units in one part and cuts 71 into 67 + 4', () => {
    expect(segmentMessage(ya(70))).toMatchObject({ encoding: 'UCS2', units: 1, characters: 70 });
    const long = segmentMessage(ya(71));
    expect(long).toMatchObject({ encoding: 'UCS2', units: 2, characters: 71 });
    expect(lengths(long.parts)).toEqual([67, 4]);
  });
  it('fills two parts with 134 units and needs a third for 135', () => {
    expect(lengths(segmentMessage(ya(67 * 2)).parts)).toEqual([67, 67]);
    expect(lengths(segmentMessage(ya(67 * 2 + 1)).parts)).toEqual([67, 67, 1]);
  });
  it('counts an emoji as two units and one character', () => {
    expect(segmentMessage('😀'.repeat(35))).toMatchObject({ encoding: 'UCS2', units: 1, characters: 35 });
    expect(segmentMessage('😀'.repeat(36))).toMatchObject({ encoding: 'UCS2', units: 2, characters: 36 });
  });
  it('never splits an emoji across parts', () => {
    const straddling = segmentMessage(`${ya(66)}😀${ya(10)}`);
    expect(straddling.parts).toEqual([ya(66), `😀${ya(10)}`]);
    const exact = segmentMessage(`${ya(65)}😀${ya(10)}`);
    expect(exact.parts).toEqual([`${ya(65)}😀`, ya(10)]);
  });
  it('flips a whole GSM-7 text to UCS-2 for one character outside the alphabet', () => {
    expect(segmentMessage(a(160))).toMatchObject({ encoding: 'GSM', units: 1 });
    const flipped = segmentMessage(`${a(159)}я`);
    expect(flipped).toMatchObject({ encoding: 'UCS2', units: 3, characters: 160 });
    expect(lengths(flipped.parts)).toEqual([67, 67, 26]);
  });
  it('counts an extension character as one unit once the text is UCS-2', () => {
    expect(segmentMessage(`${'€'.repeat(69)}я`)).toMatchObject({ encoding: 'UCS2', units: 1 });
  });
});

describe('every message', () => {
  it('gives back its text when its parts are joined', () => {
    for (const text of [a(400), `${a(152)}€${a(300)}`, `${ya(66)}😀${ya(200)}`, '😀'.repeat(100)]) {
      expect(segmentMessage(text).parts.join('')).toBe(text);
    }
  });
  it('answers an empty text as one empty GSM-7 part (the Message API refuses it before)', () => {
    expect(segmentMessage('')).toEqual({ encoding: 'GSM', units: 1, characters: 0, parts: [''] });
  });
});
