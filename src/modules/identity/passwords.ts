import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * argon2id (algorithm 2), version 0x13 (version 1), OWASP's 19 MiB and 2 passes. Hashes made with
 * other parameters are upgraded at sign-in.
 */
const PARAMETERS = { algorithm: 2, version: 1, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, PARAMETERS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Whether a hash that just verified was made with other settings than today's (another argon2
 * variant or version, other memory, passes or lanes, or not argon2 at all): it is then replaced at
 * this sign-in, while the password is at hand.
 */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    return (
      options.algorithm !== PARAMETERS.algorithm ||
      options.version !== PARAMETERS.version ||
      options.memoryCost !== PARAMETERS.memoryCost ||
      options.timeCost !== PARAMETERS.timeCost ||
      options.parallelism !== PARAMETERS.parallelism
    );
  } catch {
    return true;
  }
}

let decoyHash: Promise<string> | undefined;
/**
 * A hash to verify against when the email is unknown, so that an unknown address costs the same
 * work as a known one and the answer does not reveal which addresses have accounts.
 */
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  return decoyHash;
}
