import { hash, parseOptions, verify } from '@node-rs/argon2';

/** argon2id parameters (OWASP's 19 MiB, 2 passes). Hashes made with other parameters are upgraded at sign-in. */
const PARAMETERS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, PARAMETERS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export function needsRehash(passwordHash: string): boolean {
  const options = parseOptions(passwordHash);
  return (
    options.memoryCost !== PARAMETERS.memoryCost ||
    options.timeCost !== PARAMETERS.timeCost ||
    options.parallelism !== PARAMETERS.parallelism
  );
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
