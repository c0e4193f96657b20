import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { describeDatabase } from '../db/database-location.js';
import { unitsOf } from '../modules/billing/transactions.js';
import { kamailioConfig } from '../modules/voice/kamailio-config.js';
import { startServer } from '../server.js';
import type { CommandName, JobsListing, LedgerVerification } from './commands.js';
import { ledgerVerifyReport } from './ledger-report.js';
import { runDatabaseCommand } from './run.js';

/** Runs a database command, telling on stderr which database it used (stdout stays the command's answer, e.g. --json). */
async function run(
  name: CommandName,
  args: Record<string, string>,
  options: { createDatabase?: boolean } = {},
): Promise<unknown> {
  return runDatabaseCommand(loadConfig(), name, args, {
    createDatabase: options.createDatabase,
    report: (line) => console.error(line),
  });
}

const CREATE_DATABASE = [
  '--create-database',
  'create a new, empty database when DATA_DIR (or DATABASE_URL) holds none yet, instead of refusing',
] as const;

const program = new Command('switchboard').description(
  'Switchboard: the account plane of a communications-API provider',
);

program
  .command('serve')
  .description('Serve the web console and the APIs (PORT, HOST; see README for every setting)')
  .action(async () => {
    const config = loadConfig();
    const server = await startServer(config);
    server.system.log.info(`Switchboard is running at ${config.publicUrl} on ${describeDatabase(config)}`);
    // Graceful: stop accepting, finish requests under way, write the API request log, close the
    // database. A second signal is not caught: it stops the process at once.
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.system.log.info(`${signal}: stopping`);
      server.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          server.system.log.error({ err: error }, 'stopping the server failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('migrate')
  .description(
    'Apply database migrations (the server also applies them at start); creates the database when there is none',
  )
  .action(async () => {
    const result = (await run('migrate', {})) as { applied: string[] };
    console.log(
      result.applied.length ? `Applied: ${result.applied.join(', ')}` : 'The database is up to date.',
    );
  });

const accounts = program.command('accounts').description('Manage customer accounts');
accounts
  .command('create')
  .description('Create an account and its owner; prints the Auth ID and Auth Token')
  .requiredOption(
    '--email <email>',
    "the owner's work email (an existing user, or a new one who gets a link to set a password)",
  )
  .requiredOption('--name <name>', 'the account name')
  .option('--activate', 'make the account active at once (skip the activation review)')
  .option('--json', 'print {"auth_id", "auth_token"} as JSON')
  .option(...CREATE_DATABASE)
  .action(
    async (options: {
      email: string;
      name: string;
      activate?: boolean;
      json?: boolean;
      createDatabase?: boolean;
    }) => {
      const result = (await run(
        'accounts.create',
        { email: options.email, name: options.name, activate: String(Boolean(options.activate)) },
        options,
      )) as { authId: string; authToken: string; status: string };
      if (options.json) console.log(JSON.stringify({ auth_id: result.authId, auth_token: result.authToken }));
      else
        console.log(
          `Created account ${result.authId} (${result.status}).\nAuth ID:    ${result.authId}\nAuth Token: ${result.authToken}`,
        );
    },
  );

const staff = program.command('staff').description("Manage the operator's staff");
staff
  .command('create')
  .description('Create a staff member and print a one-time link to set their password and authenticator app')
  .requiredOption('--email <email>', 'their email address')
  .requiredOption('--name <name>', 'their name')
  .option('--role <role>', 'staff_admin or agent', 'agent')
  .option('--json', 'print JSON')
  .option(...CREATE_DATABASE)
  .action(
    async (options: {
      email: string;
      name: string;
      role: string;
      json?: boolean;
      createDatabase?: boolean;
    }) => {
      if (!['staff_admin', 'agent'].includes(options.role))
        throw new Error('--role must be staff_admin or agent');
      const result = (await run(
        'staff.create',
        { email: options.email, name: options.name, role: options.role },
        options,
      )) as {
        email: string;
        role: string;
        setupLink: string;
      };
      if (options.json) console.log(JSON.stringify(result));
      else
        console.log(
          `Created ${result.role} ${result.email}.\nOne-time setup link (valid 72 hours):\n${result.setupLink}`,
        );
    },
  );

const numbers = program.command('numbers').description('Manage the phone number inventory');
numbers
  .command('load')
  .description(
    'Add numbers to the inventory from a CSV file (columns in README); nothing is added unless every line is good',
  )
  .requiredOption('--file <path>', 'the CSV file: a header line, then one number per line')
  .option('--json', 'print {"loaded": n} as JSON')
  .option(...CREATE_DATABASE)
  .action(async (options: { file: string; json?: boolean; createDatabase?: boolean }) => {
    const csv = readFileSync(options.file, 'utf8');
    const result = (await run('numbers.load', { csv }, options)) as { loaded: number };
    if (options.json) console.log(JSON.stringify(result));
    else console.log(`Loaded ${result.loaded} numbers into the inventory.`);
  });

const prices = program.command('prices').description('Manage the price decks usage is rated with');
prices
  .command('load')
  .description(
    'Load a price deck from a CSV file (columns in README); nothing is loaded unless every line is good',
  )
  .requiredOption('--file <path>', 'the CSV file: a header line, then one price per line')
  .option('--json', 'print {"deckId": "…", "loaded": n} as JSON')
  .option(...CREATE_DATABASE)
  .action(async (options: { file: string; json?: boolean; createDatabase?: boolean }) => {
    const csv = readFileSync(options.file, 'utf8');
    const result = (await run('prices.load', { csv }, options)) as { deckId: string; loaded: number };
    if (options.json) console.log(JSON.stringify(result));
    else console.log(`Loaded ${result.loaded} prices (deck ${result.deckId}).`);
  });

const engines = program
  .command('engines')
  .description("Manage the telephony and messaging engines' credentials (the engine door)");
engines
  .command('create')
  .description(
    'Create an engine credential and print its key, shown this once (revoke it in the staff console)',
  )
  .requiredOption('--name <name>', 'lower-case letters, digits, ".", "_" or "-", e.g. sbc1')
  .option('--json', 'print {"engine_id", "key"} as JSON')
  .option(...CREATE_DATABASE)
  .action(async (options: { name: string; json?: boolean; createDatabase?: boolean }) => {
    const result = (await run('engines.create', { name: options.name }, options)) as {
      engineId: string;
      name: string;
      key: string;
    };
    if (options.json) console.log(JSON.stringify({ engine_id: result.engineId, key: result.key }));
    else
      console.log(
        `Created engine ${result.name} (${result.engineId}).\nKey (shown once; send it as "Authorization: Bearer <key>"):\n${result.key}`,
      );
  });

program
  .command('jobs')
  .description('List the background jobs by name and state, and the failed ones with their last error')
  .option('--json', 'print {"counts": [...], "failures": [...]} as JSON')
  .action(async (options: { json?: boolean }) => {
    const overview = (await run('jobs.list', {})) as JobsListing;
    if (options.json) {
      console.log(JSON.stringify(overview));
      return;
    }
    const states = ['queued', 'running', 'completed', 'failed'] as const;
    const byName = new Map<string, Record<string, number>>();
    for (const { name, state, count } of overview.counts) {
      byName.set(name, { ...byName.get(name), [state]: count });
    }
    const width = Math.max(4, ...[...byName.keys()].map((name) => name.length));
    console.log(['job'.padEnd(width), ...states.map((state) => state.padStart(9))].join('  '));
    for (const [name, counts] of byName) {
      console.log(
        [name.padEnd(width), ...states.map((state) => String(counts[state] ?? 0).padStart(9))].join('  '),
      );
    }
    if (byName.size === 0) console.log('No jobs yet.');
    if (overview.failures.length > 0)
      console.log('\nFailed (newest first; retry them from the staff console, Jobs):');
    for (const job of overview.failures) {
      console.log(
        `#${job.id} ${job.name} after ${job.attempts} attempts, ${job.failedAt ?? ''}: ${job.lastError ?? ''}`,
      );
    }
  });

const credits = program.command('credits').description("Adjust an account's credit");
credits
  .command('add')
  .description(
    'Credit (or, with a negative amount such as --amount=-5, debit) a main account with a reason; audited, shown in its Transactions',
  )
  .requiredOption('--account <authId>', "the main account's Auth ID (MA…)")
  .requiredOption(
    '--amount <units>',
    'the amount in units, such as 25.00; negative debits (write --amount=-5)',
  )
  .requiredOption('--reason <text>', 'why: the customer sees it')
  .option(
    '--idempotency-key <key>',
    'run again with the same key and nothing more is credited (default: a new key each run)',
  )
  .option('--json', 'print the transaction and the new balance as JSON')
  .action(
    async (options: {
      account: string;
      amount: string;
      reason: string;
      idempotencyKey?: string;
      json?: boolean;
    }) => {
      const result = (await run('credits.add', {
        account: options.account,
        amount: options.amount,
        reason: options.reason,
        key: options.idempotencyKey ?? `cli-${randomUUID()}`,
      })) as {
        posted: boolean;
        authId: string;
        transaction: { amountMicros: string; currency: string };
        balance: { balanceMicros: string; currency: string };
      };
      if (options.json) console.log(JSON.stringify(result));
      else
        console.log(
          `${result.posted ? 'Adjusted' : 'Already adjusted with this key, nothing changed:'} ${result.authId} by ${result.transaction.amountMicros.startsWith('-') ? '' : '+'}${unitsOf(BigInt(result.transaction.amountMicros))} ${result.transaction.currency}; balance ${unitsOf(BigInt(result.balance.balanceMicros))} ${result.balance.currency}.`,
        );
    },
  );

const ledger = program.command('ledger').description('The ledger of every account');
ledger
  .command('verify')
  .description("Check every account's balance against the sum of its ledger; exits 1 on a mismatch")
  .option('--json', 'print {"mismatches": [...]} as JSON')
  .action(async (options: { json?: boolean }) => {
    const result = (await run('ledger.verify', {})) as LedgerVerification;
    const report = ledgerVerifyReport(result);
    if (options.json) console.log(JSON.stringify(result));
    else for (const line of report.lines) console.log(line);
    process.exitCode = report.exitCode;
  });

/** The key `kamailio config` prints when given none: the operator puts an engine's key in its place. */
const ENGINE_KEY_PLACEHOLDER = 'REPLACE-WITH-THE-ENGINE-KEY';

const kamailio = program
  .command('kamailio')
  .description('Kamailio, the SIP server that registers endpoints and carries calls for Switchboard');
kamailio
  .command('config')
  .description(
    'Print a kamailio.cfg for this Switchboard (PUBLIC_URL, SIP_DOMAIN): Kamailio asks Switchboard over HTTP who may register and call; run it with kamailio -DD -E -f kamailio.cfg',
  )
  .option(
    '--engine-key <key>',
    'the key Kamailio sends to Switchboard (switchboard engines create --name kamailio); without it, a placeholder to replace',
  )
  .option('--switchboard-url <url>', 'where Kamailio reaches Switchboard (default: PUBLIC_URL)')
  .option('--sip-address <ip>', 'the address Kamailio listens on for SIP (UDP and TCP)', '127.0.0.1')
  .option('--sip-port <port>', 'the SIP port', '5060')
  .option(
    '--rpc-port <port>',
    "the loopback TCP port of Kamailio's JSON-RPC (POST http://127.0.0.1:<port>/RPC), where Switchboard hangs calls up",
    '5065',
  )
  .option('--carrier <uri>', 'the SIP address calls to the carrier go through, e.g. sip:203.0.113.5:5060')
  .option(
    '--carrier-address <ip>',
    "an address the carrier's calls come from (taken without digest); repeat for each",
    (address: string, addresses: string[]) => [...addresses, address],
    [] as string[],
  )
  .action(
    (options: {
      engineKey?: string;
      switchboardUrl?: string;
      sipAddress: string;
      sipPort: string;
      rpcPort: string;
      carrier?: string;
      carrierAddress: string[];
    }) => {
      const config = loadConfig();
      const text = kamailioConfig({
        switchboardUrl: options.switchboardUrl ?? config.publicUrl,
        engineKey: options.engineKey ?? ENGINE_KEY_PLACEHOLDER,
        sipDomain: config.sipDomain,
        sipAddress: options.sipAddress,
        sipPort: Number(options.sipPort),
        rpcPort: Number(options.rpcPort),
        carrierUri: options.carrier ?? null,
        carrierAddresses: options.carrierAddress,
      });
      if (!options.engineKey)
        console.error(
          `No --engine-key: replace ${ENGINE_KEY_PLACEHOLDER} in the config with the key of \`switchboard engines create --name kamailio\`.`,
        );
      process.stdout.write(text);
    },
  );

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `switchboard: ${(error as Error).message}`);
  process.exit(1);
});
