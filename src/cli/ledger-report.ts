import { unitsOf } from '../modules/billing/transactions.js';
import type { LedgerVerification } from './commands.js';

/** What `switchboard ledger verify` prints and its exit status: 1 when any balance is not its ledger's sum. */
export function ledgerVerifyReport({ mismatches }: LedgerVerification): {
  lines: string[];
  exitCode: number;
} {
  if (mismatches.length === 0)
    return { lines: ["Ledger verified: every account's balance is the sum of its ledger."], exitCode: 0 };
  return {
    lines: [
      `${mismatches.length} account(s) whose balance is not the sum of its ledger:`,
      ...mismatches.map(
        (m) =>
          `${m.authId}: balance ${unitsOf(BigInt(m.cachedMicros))}, ledger sum ${unitsOf(BigInt(m.ledgerMicros))}`,
      ),
    ],
    exitCode: 1,
  };
}
