import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from './database.js';

/** The database a configuration names, in words for a person (never the password of a URL). */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl)
    return `the embedded database in ${embeddedDirectory(config.dataDir)} (DATA_DIR=${config.dataDir})`;
  const url = new URL(config.databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || url.username || 'postgres';
  return `the PostgreSQL database "${name}" on ${url.hostname || 'localhost'}:${url.port || '5432'} (DATABASE_URL)`;
}

export const embeddedDirectory = (dataDir: string) => path.join(dataDir, 'pglite');

/** Whether DATA_DIR already holds an embedded database (opening one that does not would create it). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(path.join(embeddedDirectory(dataDir), 'PG_VERSION'));
}

/** Whether a PostgreSQL database has been set up for Switchboard (its migrations table exists). */
export async function hasSwitchboardTables(db: Db): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    SELECT to_regclass('kysely_migration') IS NOT NULL AS present`.execute(db);
  return rows[0]?.present === true;
}

/** A command that would have made a new, empty database instead of using the server's. */
export class NoDatabase extends Error {
  constructor(config: Pick<Config, 'databaseUrl' | 'dataDir'>) {
    super(
      config.databaseUrl
        ? `${describeDatabase(config)} has no Switchboard tables, and this command does not create them. Check that DATABASE_URL names your server's database. To set up a new one there, run \`switchboard migrate\` or add --create-database.`
        : `There is no database in ${config.dataDir} (DATA_DIR), and this command does not create one. Set DATA_DIR to your server's data directory (the server prints it when it starts; by default ./data in the directory it was started from), or DATABASE_URL to its PostgreSQL database. To start a new, empty database here, run \`switchboard migrate\` or add --create-database.`,
    );
  }
}
