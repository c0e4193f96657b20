/**
 * bench/pglite-alone: what PGlite alone holds with Switchboard's settings, reopening a data
 * directory Switchboard made (bench/start runs it on its own, against the server's idle RSS):
 *   node dist/bench/pglite-alone.js <data directory>
 * Opens the database, reads the applied migrations as the server does at start, waits IDLE=30
 * seconds and prints one JSON line {idleRss, peakRss} in MB (VmRSS and VmHWM from /proc).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { embeddedStartParams } from '../src/db/embedded-settings.js';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-alone.js <data directory>');
  process.exit(2);
}

function memory(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
}

const pglite = await PGlite.create(dataDir, { startParams: embeddedStartParams });
await pglite.query('SELECT name FROM kysely_migration ORDER BY name');
await sleep(Number(process.env.IDLE ?? 30) * 1000);
console.log(JSON.stringify({ idleRss: memory('VmRSS'), peakRss: memory('VmHWM') }));
await pglite.close();
