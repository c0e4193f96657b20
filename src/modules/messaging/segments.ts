/**
 * How an SMSC carries a message's text: the encoding it needs and the parts (segments) it is cut
 * into, each part being one submit_sm and one billed unit.
 *
 * The character sets are those of 3GPP TS 23.038 (formerly GSM 03.38), §6.2.1 "GSM 7 bit Default
 * Alphabet" and §6.2.1.1 "GSM 7 bit default alphabet extension table", transcribed by hand from
 * the specification's tables. A character of the extension table is sent as the escape septet
 * 0x1B followed by its own septet, so it takes two septets of a part's room.
 *
 * Room per part: a single message carries 140 octets, 160 septets or 70 UTF-16 units; a part of a
 * concatenated message loses 6 octets to its user data header, leaving 153 septets or 67 units.
 * A part never ends inside an escape pair or inside a surrogate pair.
 */

export type MessageEncoding = 'GSM' | 'UCS2';

export type MessageSegments = {
  encoding: MessageEncoding;
  /** The number of parts, which is what the message is rated and charged by. */
  units: number;
  /** The text's length in Unicode code points (an emoji is one character). */
  characters: number;
  /** The text of each part, in order; joined they give the text back. */
  parts: string[];
};

/**
 * The default alphabet in septet order 0x00–0x7F: each line is one column of the specification's
 * table (sixteen septets). 0x1B is the escape to the extension table, not a character.
 */
const BASIC_ALPHABET = [
  '@£$¥èéùìòÇ\nØø\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ',
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
].join('');

/** The extension table: form feed ^ { } \ [ ~ ] | €, each sent after the escape septet. */
const EXTENSION_TABLE = '\f^{}\\[~]|€';

const ESCAPE = '\u001b';
const basic = new Set([...BASIC_ALPHABET].filter((character) => character !== ESCAPE));
const extension = new Set(EXTENSION_TABLE);

const ROOM = {
  GSM: { single: 160, concatenated: 153 },
  UCS2: { single: 70, concatenated: 67 },
} as const;

/** The room a character takes in its encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
function size(character: string, encoding: MessageEncoding): number {
  if (encoding === 'UCS2') return character.length;
  return extension.has(character) ? 2 : 1;
}

/** Whether the whole text can go in the GSM 7-bit default alphabet with its extension table. */
export function isGsmText(text: string): boolean {
  for (const character of text) {
    if (!basic.has(character) && !extension.has(character)) return false;
  }
  return true;
}

/**
 * The encoding and the parts an SMSC sends for a text: GSM-7 when every character is in the
 * default alphabet or its extension table, else UCS-2; one part up to 160 septets / 70 units,
 * otherwise parts of at most 153 septets / 67 units, filled in order.
 *
 * An empty text is one empty part of GSM-7 (an SMSC accepts a submit_sm with no text and bills
 * it as one message); the Message API refuses an empty text before it comes here.
 */
export function segmentMessage(text: string): MessageSegments {
  const encoding: MessageEncoding = isGsmText(text) ? 'GSM' : 'UCS2';
  // Iterating a string yields code points, so a surrogate pair stays whole; a lone surrogate is one unit.
  const characters = [...text];
  const room = ROOM[encoding];
  const total = characters.reduce((sum, character) => sum + size(character, encoding), 0);
  if (total <= room.single) return { encoding, units: 1, characters: characters.length, parts: [text] };

  const parts: string[] = [];
  let part = '';
  let used = 0;
  for (const character of characters) {
    const needed = size(character, encoding);
    if (used + needed > room.concatenated) {
      parts.push(part);
      part = '';
      used = 0;
    }
    part += character;
    used += needed;
  }
  parts.push(part);
  return { encoding, units: parts.length, characters: characters.length, parts };
}
