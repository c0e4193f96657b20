import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

export const testDataRoot = path.resolve('.test-data');

/** Migrates one template database per run; each test file copies it (a fresh PGlite directory costs ~5 s). */
export default async function setup(project: TestProject) {
  const run = `${process.pid}_${randomBytes(3).toString('hex')}`;
  if (project.config.env?.TEST_TARGET === 'postgres') {
    const url = process.env.TEST_DATABASE_URL as string;
    const template = `sb_tpl_${run}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const handle = await openDatabase({ databaseUrl: withDatabase(url, template) });
    await migrateToLatest(handle.db);
    await handle.close();
    project.provide('postgresTemplate', template);
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`sb_%_${run}%`],
      );
      for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  mkdirSync(testDataRoot, { recursive: true });
  const template = path.join(testDataRoot, `template_${run}`);
  const handle = await openDatabase({ pgliteDir: template });
  await migrateToLatest(handle.db);
  await handle.close();
  project.provide('pgliteTemplate', template);
  return () => rmSync(template, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
