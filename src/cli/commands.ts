import { migrateToLatest } from '../db/migrate.js';
import type { StaffRole } from '../db/schema.js';
import type { System } from '../system.js';

/** `switchboard jobs`: what it prints, as JSON can carry it (the answer may come from a running server). */
export interface JobsListing {
  counts: { name: string; state: string; count: number }[];
  failures: {
    id: string;
    name: string;
    attempts: number;
    lastError: string | null;
    failedAt: string | null;
  }[];
}

/** CLI commands that need the database, runnable in the CLI's own process or inside a running server. */
const commands = {
  migrate: async (system: System) => ({ applied: await migrateToLatest(system.database.db) }),
  'accounts.create': async (system: System, args: Record<string, string>) =>
    system.provisioning.create(
      { ip: 'cli', userAgent: null },
      { email: args.email ?? '', name: args.name ?? '', activate: args.activate === 'true' },
    ),
  'staff.create': async (system: System, args: Record<string, string>) =>
    system.staff.create({
      email: args.email ?? '',
      name: args.name ?? '',
      role: (args.role ?? 'agent') as StaffRole,
    }),
  'numbers.load': async (system: System, args: Record<string, string>) =>
    system.numbers.load({ ip: 'cli', userAgent: null }, args.csv ?? ''),
  'credits.add': async (system: System, args: Record<string, string>) => {
    const result = await system.credits.adjustByAuthId(
      { ip: 'cli', userAgent: null, cli: true },
      args.account ?? '',
      { amount: args.amount ?? '', reason: args.reason ?? '', idempotencyKey: args.key ?? '' },
    );
    return {
      ...result,
      transaction: { ...result.transaction, createdAt: result.transaction.createdAt.toISOString() },
    };
  },
  'ledger.verify': async (system: System): Promise<LedgerVerification> => ({
    mismatches: (await system.ledger.verify()).map((m) => ({
      authId: m.authId,
      cachedMicros: m.cachedMicros.toString(),
      ledgerMicros: m.ledgerMicros.toString(),
    })),
  }),
  'prices.load': async (system: System, args: Record<string, string>) =>
    system.priceDecks.load({ ip: 'cli', userAgent: null }, 'cli', args.csv ?? ''),
  'engines.create': async (system: System, args: Record<string, string>) =>
    system.engines.create({ ip: 'cli', userAgent: null }, args.name ?? ''),
  'jobs.list': async (system: System): Promise<JobsListing> => {
    const { counts, failures } = await system.staffJobs.overview();
    return {
      counts,
      failures: failures.map((job) => ({ ...job, failedAt: job.failedAt?.toISOString() ?? null })),
    };
  },
};

/** `switchboard ledger verify`: the accounts whose cached balance is not their ledger's sum (micro-units as strings). */
export interface LedgerVerification {
  mismatches: { authId: string; cachedMicros: string; ledgerMicros: string }[];
}

export type CommandName = keyof typeof commands;

export function runCommand(
  system: System,
  name: CommandName,
  args: Record<string, string>,
): Promise<unknown> {
  const command = commands[name];
  if (!command) throw new Error(`Unknown command ${String(name)}`);
  return command(system, args);
}
