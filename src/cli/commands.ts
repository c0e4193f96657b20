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
