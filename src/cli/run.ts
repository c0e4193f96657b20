import type { Config } from '../config.js';
import { describeDatabase } from '../db/database-location.js';
import { startSystem } from '../system.js';
import { type CommandName, runCommand } from './commands.js';
import { askRunningServer } from './control-channel.js';

export interface CommandOptions {
  /** Create the database when there is none yet (`migrate` always may); otherwise refuse, naming where it looked. */
  createDatabase?: boolean;
  /** Told which database the command used, once it is known. */
  report?: (line: string) => void;
}

/**
 * Runs a database command in this process, or, when a server holds the embedded database, asks that
 * server to run it: CLI commands work whether or not the server is up. A command other than
 * `migrate` never creates a database unless asked: a CLI run without the server's DATA_DIR would
 * otherwise quietly work on a new, empty one.
 */
export async function runDatabaseCommand(
  config: Config,
  name: CommandName,
  args: Record<string, string>,
  options: CommandOptions = {},
): Promise<unknown> {
  const report = options.report ?? (() => {});
  if (!config.databaseUrl) {
    const answer = await askRunningServer(config.dataDir, name, args);
    if (answer !== null) {
      report(`Database: ${describeDatabase(config)}, through the server running on it.`);
      return answer;
    }
  }
  const createDatabase = Boolean(options.createDatabase) || name === 'migrate';
  const system = await startSystem({ ...config, logLevel: 'warn' }, { createDatabase });
  report(`Database: ${describeDatabase(config)}.`);
  try {
    return await runCommand(system, name, args);
  } finally {
    await system.close();
  }
}
