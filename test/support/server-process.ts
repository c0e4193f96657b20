import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, testTarget } from './database.js';
import { testDataRoot } from './global-setup.js';

/**
 * For tests that run the compiled server in a process of its own, as `npm start` runs it (to stop
 * it with a signal, or kill it mid-way): a free port, a database of its own, and the wait until it serves.
 */
export const compiledCli = path.resolve('dist/src/cli/index.js');

/**
 * Whether the compiled CLI is there for `test` to run; without it the test is skipped with the
 * reason printed, except under CI, where a missing build is a failure.
 */
export function compiledCliBuilt(test: string): boolean {
  if (existsSync(compiledCli)) return true;
  const reason = `${test} needs the compiled server: run \`npm run build\` first.`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`${reason} Skipped.`);
  return false;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Settings for a server of its own: a copy of the migrated template, or a fresh PostgreSQL database. */
export async function ownServerDatabase(name: string): Promise<Record<string, string>> {
  const dataDir = path.join(testDataRoot, `${name}_${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  const secret = { SECRET_KEY: randomBytes(32).toString('hex') };
  if (testTarget === 'postgres') {
    const database = await createTestDatabase();
    await database.close();
    return { DATA_DIR: dataDir, DATABASE_URL: database.url as string, ...secret };
  }
  cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pglite'), { recursive: true });
  return { DATA_DIR: dataDir, ...secret };
}

/** Waits until the server answers at `url`; throws if it exits first. */
export async function untilServing(child: ChildProcess, url: string) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before serving`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The compiled server (`switchboard serve`) in a process of its own, with these settings; `exited` resolves when it ends. */
export function serveCompiled(env: Record<string, string>) {
  const child = spawn(process.execPath, [compiledCli, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: once(child, 'exit') };
}

/** The database of a server of its own, opened while that server is down (PGlite admits one process). */
export async function openServerData(env: Record<string, string>) {
  const config = loadConfig(env);
  return openDatabase(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { pgliteDir: path.join(config.dataDir, 'pglite') },
  );
}
