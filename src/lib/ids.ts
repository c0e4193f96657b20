import { randomInt, randomUUID } from 'node:crypto';

const AUTH_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Auth IDs: `MA` (main account) or `SA` (subaccount) followed by 18 upper-case letters and digits. */
export function newAuthId(kind: 'MA' | 'SA'): string {
  let id: string = kind;
  for (let i = 0; i < 18; i++) id += AUTH_ID_ALPHABET[randomInt(AUTH_ID_ALPHABET.length)];
  return id;
}

export const newId = () => randomUUID();
