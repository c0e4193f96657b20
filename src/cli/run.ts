import type { Config } from '../config.js';
import { startSystem } from '../system.js';
import { type CommandName, runCommand } from './commands.js';
import { askRunningServer } from './control-channel.js';

/**
 * Runs a database command in this process, or, when a server holds the embedded database, asks that
 * server to run it: CLI commands work whether or not the server is up.
 */
export async function runDatabaseCommand(
  config: Config,
  name: CommandName,
  args: Record<string, string>,
): Promise<unknown> {
  if (!config.databaseUrl) {
    const answer = await askRunningServer(config.dataDir, name, args);
    if (answer !== null) return answer;
  }
  const system = await startSystem({ ...config, logLevel: 'warn' });
  try {
    return await runCommand(system, name, args);
  } finally {
    await system.close();
  }
}
