/**
 * bench/usage-summary: the Usage Summary with 10 million usage records on PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:usage-summary
 *
 * Creates a database of its own (BENCH_DATABASE, default bench_usage; dropped first, and at the end
 * unless KEEP=1), starts the compiled server on it in its own process, and fills RECORDS usage
 * records (default 10,000,000) with INSERT … SELECT generate_series, one record in ten the measured
 * account's (over 365 days, its main account and 10 subaccounts, voice, SMS and MMS), the rest 99
 * other accounts'; then the daily rollups the charging transaction would have kept. It measures:
 * - the usage API (GET /v1/Account/{id}/Usage/) and the console summary (GET /api/billing/usage)
 *   for several filters: median and slowest of ROUNDS requests each (target: at most 100 ms);
 * - the baseline, in the same run: the same totals computed from the raw records (SQL alone, no
 *   HTTP), and the ratio rollups / raw;
 * - Export CSV of the measured account's year (RECORDS / 10 records) through the HTTP route: time
 *   and the server's peak RSS while it streams (target: 1 million records in at most 10 s, under 200 MB).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { serverNodeFlags } from '../src/cli/node-flags.js';
import { newAuthId, newId } from '../src/lib/ids.js';

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl?.startsWith('postgres')) {
  console.error(
    'bench/usage-summary runs on PostgreSQL: set DATABASE_URL=postgres://… (a database it may CREATE DATABASE from)',
  );
  process.exit(2);
}
const databaseName = process.env.BENCH_DATABASE ?? 'bench_usage';
const records = Number(process.env.RECORDS ?? 10_000_000);
const rounds = Number(process.env.ROUNDS ?? 15);
const chunk = 1_000_000;
const benchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

interface Target {
  child: ChildProcess;
  url: string;
  pid: number;
  accountId: string;
  authId: string;
  authToken: string;
  cookie: string;
  subaccounts: { id: string; authId: string }[];
}

/** A process's resident memory now, in MB, from /proc. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

async function startTarget(): Promise<Target> {
  const child = spawn(
    process.execPath,
    [...serverNodeFlags, new URL('./usage-summary-target.js', import.meta.url).pathname],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DATABASE_URL: benchUrl, SECRET_KEY: randomBytes(32).toString('hex') },
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{"url"')) return { child, ...(JSON.parse(line) as Omit<Target, 'child'>) };
  }
  throw new Error('the server did not start');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${databaseName}`);
await admin.query(`CREATE DATABASE ${databaseName}`);
await admin.end();

const target = await startTarget();
const db = new pg.Client({ connectionString: benchUrl });
await db.connect();
try {
  console.log(
    `bench/usage-summary: ${records.toLocaleString('en')} records on PostgreSQL (${databaseName}), Node ${process.version}`,
  );

  // The measured account gets one record in ten; 99 other accounts the rest.
  const others = Array.from({ length: 99 }, (_, n) => ({ n, id: newId(), authId: newAuthId('MA') }));
  await db.query(
    `INSERT INTO accounts (id, auth_id, name, status, currency)
     SELECT id, auth_id, 'Other ' || n, 'active', 'USD' FROM unnest($1::uuid[], $2::text[], $3::int[]) AS o(id, auth_id, n)`,
    [others.map((o) => o.id), others.map((o) => o.authId), others.map((o) => o.n)],
  );
  await db.query('CREATE TABLE bench_others (n int PRIMARY KEY, id uuid NOT NULL)');
  await db.query('INSERT INTO bench_others SELECT * FROM unnest($1::int[], $2::uuid[])', [
    others.map((o) => o.n),
    others.map((o) => o.id),
  ]);
  await db.query('CREATE TABLE bench_subs (n int PRIMARY KEY, id uuid NOT NULL)');
  await db.query('INSERT INTO bench_subs SELECT * FROM unnest($1::int[], $2::uuid[])', [
    target.subaccounts.map((_, i) => i + 1),
    target.subaccounts.map((s) => s.id),
  ]);
  const engineId = newId();
  await db.query(
    `INSERT INTO engines (id, name, key_digest, created_by) VALUES ($1, 'bench', 'x', 'bench')`,
    [engineId],
  );

  // Filled without the records' indexes, which are built once afterwards (faster than kept row by row).
  await db.query('SET synchronous_commit = off');
  await db.query("SET maintenance_work_mem = '256MB'");
  await db.query('ALTER TABLE usage_records DROP CONSTRAINT usage_records_pkey');
  await db.query('DROP INDEX usage_records_by_account');
  const fillStart = performance.now();
  // 365 days from 2025-12-01 UTC; record i starts i × (365 days / records) in.
  const step = (365 * 86_400) / records;
  for (let first = 0; first < records; first += chunk) {
    const last = Math.min(records, first + chunk) - 1;
    await db.query(
      `INSERT INTO usage_records (engine_id, event_id, batch_id, account_id, subaccount_id, product, direction,
         from_number, to_number, number_type, country_iso, prefix, quantity, billed_quantity, rate_micros,
         amount_micros, started_at, day)
       SELECT $1, 'e' || i, $2, CASE WHEN i % 10 = 0 THEN $3::uuid ELSE o.id END,
         CASE WHEN i % 10 = 0 THEN s.id END,
         (ARRAY['voice', 'sms', 'mms'])[1 + i % 3], CASE WHEN (i / 3) % 2 = 0 THEN 'outbound' ELSE 'inbound' END,
         '14155550100', '4477009' || lpad((i % 100000)::text, 5, '0'), '', 'GB', '44',
         q, q, 40000, q * 40000, at, (at AT TIME ZONE 'UTC')::date
       FROM (SELECT i, CASE WHEN i % 3 = 0 THEN 1 + i % 300 ELSE 1 + i % 3 END AS q,
               timestamptz '2025-12-01 00:00:00+00' + (i * $4::float8) * interval '1 second' AS at
             FROM generate_series($5::bigint, $6::bigint) AS i) g
       LEFT JOIN bench_subs s ON s.n = (g.i / 10) % 11
       LEFT JOIN bench_others o ON o.n = (g.i / 10) % 99`,
      [engineId, newId(), target.accountId, step, first, last],
    );
    const done = last + 1;
    const seconds = (performance.now() - fillStart) / 1000;
    process.stdout.write(
      `\r  filled ${done.toLocaleString('en')} records in ${seconds.toFixed(0)} s (${Math.round(done / seconds).toLocaleString('en')}/s)   `,
    );
  }
  const indexStart = performance.now();
  await db.query('ALTER TABLE usage_records ADD PRIMARY KEY (engine_id, event_id)');
  await db.query('CREATE INDEX usage_records_by_account ON usage_records (account_id, started_at)');
  console.log(`\n  indexes built in ${((performance.now() - indexStart) / 1000).toFixed(0)} s`);
  const rollupStart = performance.now();
  await db.query(`
    INSERT INTO usage_daily (account_id, subaccount_id, day, product, direction, events, quantity, amount_micros)
    SELECT account_id, subaccount_id, day, product, direction, count(*), sum(billed_quantity), sum(amount_micros)
    FROM usage_records GROUP BY account_id, subaccount_id, day, product, direction`);
  // Rentals: each subaccount of the measured account rents a number a month.
  await db.query(
    `INSERT INTO usage_daily (account_id, subaccount_id, day, product, direction, events, quantity, amount_micros)
     SELECT $1, s.id, (date '2025-12-01' + m * interval '1 month')::date, 'numbers', 'none', 1, 1, 800000
     FROM bench_subs s CROSS JOIN generate_series(0, 11) AS m`,
    [target.accountId],
  );
  await db.query('ANALYZE usage_records');
  await db.query('ANALYZE usage_daily');
  const daily = (await db.query('SELECT count(*)::int AS n FROM usage_daily')).rows[0].n as number;
  console.log(
    `  daily rollups: ${daily.toLocaleString('en')} rows in ${((performance.now() - rollupStart) / 1000).toFixed(0)} s`,
  );

  const basic = `Basic ${Buffer.from(`${target.authId}:${target.authToken}`).toString('base64')}`;
  const year = 'from=2025-12-01&to=2026-11-30';
  const third = target.subaccounts[2]?.authId as string;
  const filters: [string, string][] = [
    ['year, everything', year],
    ['one month', 'from=2026-06-01&to=2026-06-30'],
    ['one day', 'from=2026-06-15&to=2026-06-15'],
    ['year, product=sms', `${year}&product=sms`],
    ['year, product=numbers', `${year}&product=numbers`],
    ['year, one subaccount', `${year}&subaccount=${third}`],
    ['year, main account only', `${year}&subaccount=${target.authId}`],
  ];
  const time = async (url: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return performance.now() - started;
  };
  const series = async (url: string, headers: Record<string, string>) => {
    for (let i = 0; i < 3; i++) await time(url, headers); // warm-up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await time(url, headers));
    return { median: median(times), max: Math.max(...times) };
  };
  console.log(`\n  summaries over HTTP (${rounds} requests each after 3 warm-up; median, slowest):`);
  let yearMedian = 0;
  for (const [name, query] of filters) {
    const api = await series(`${target.url}/v1/Account/${target.authId}/Usage/?${query}`, {
      authorization: basic,
    });
    const console_ = await series(`${target.url}/api/billing/usage?${query}`, { cookie: target.cookie });
    if (name === 'year, everything') yearMedian = api.median;
    console.log(
      `  ${name.padEnd(26)} /v1 ${ms(api.median)} ${ms(api.max)}   console ${ms(console_.median)} ${ms(console_.max)}`,
    );
  }
  // Baseline: the year's totals per product and subaccount from the raw records (SQL alone, no HTTP).
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await db.query(
      `SELECT product, subaccount_id, count(*), sum(billed_quantity), sum(amount_micros) FROM usage_records
       WHERE account_id = $1 AND day BETWEEN '2025-12-01' AND '2026-11-30' GROUP BY product, subaccount_id`,
      [target.accountId],
    );
    raw.push(performance.now() - started);
  }
  console.log(
    `  baseline: the year's totals from the raw records (SQL only) ${ms(median(raw))}; rollups over HTTP / raw = ${(yearMedian / median(raw)).toFixed(3)}`,
  );

  // Export CSV of the measured account's year: time and the server's peak RSS while it streams.
  const before = rssMb(target.pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(target.pid));
  }, 50);
  const started = performance.now();
  const response = await fetch(`${target.url}/api/billing/usage.csv?${year}`, {
    headers: { cookie: target.cookie },
  });
  let bytes = 0;
  let lines = 0;
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += piece.length;
    for (const byte of piece) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(target.pid));
  console.log(
    `  Export CSV: ${(lines - 1).toLocaleString('en')} records, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s (${Math.round((lines - 1) / seconds).toLocaleString('en')} records/s); server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
  );
} finally {
  await db.end();
  target.child.kill('SIGTERM');
  await once(target.child, 'exit');
  if (process.env.KEEP !== '1') {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${databaseName}`);
    await cleanup.end();
  }
}
