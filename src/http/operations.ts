import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { knownMigrations } from '../db/migrate.js';
import type { Metrics } from '../lib/metrics.js';

/** What the operations routes use: the database, the background work's heartbeat, the metrics and their token. */
export interface OperationsDeps {
  database: { db: Db };
  jobs: { alive(): boolean };
  metrics: Pick<Metrics, 'registry'>;
  config: { metricsToken?: string };
}

/** How long /readyz waits for the database before calling it unreachable. */
const DATABASE_CHECK_MS = 2000;

/** The door a route belongs to, from its pattern (or, for a request no route matched, its path). */
function doorOf(url: string): string {
  if (url.startsWith('/v1/')) return 'v1';
  if (url.startsWith('/api/staff/')) return 'staff';
  if (url.startsWith('/api/')) return 'console';
  return 'other';
}

/**
 * The onResponse hook counting every request in the metrics: synchronous, so the /v1 door pays for
 * no promise. The route label is the route's pattern; a request no route matched is "unmatched".
 */
export function countResponses(metrics: Metrics) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions.url;
    const door = doorOf(route ?? request.url);
    const labels = { door, method: request.method, route: route ?? 'unmatched' };
    metrics.duration.observe(labels, reply.elapsedTime / 1000);
    metrics.requests.inc({ ...labels, status: reply.statusCode });
    done();
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

type Check = 'ok' | 'unreachable' | 'pending' | 'stopped';

/** Whether this instance can serve: the database answers, has every migration, and the jobs runner runs. */
async function readiness(
  system: OperationsDeps,
): Promise<{ database: Check; migrations: Check; jobs: Check }> {
  const jobs: Check = system.jobs.alive() ? 'ok' : 'stopped';
  try {
    const applied = await withTimeout(
      (async () => {
        await sql`select 1`.execute(system.database.db);
        const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(
          system.database.db,
        );
        return new Set(rows.map((row) => row.name));
      })(),
      DATABASE_CHECK_MS,
    );
    const migrations: Check = knownMigrations.every((name) => applied.has(name)) ? 'ok' : 'pending';
    return { database: 'ok', migrations, jobs };
  } catch {
    return { database: 'unreachable', migrations: 'unreachable', jobs };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * What a load balancer and monitoring ask: /healthz (the process answers), /readyz (ready to serve,
 * 503 otherwise) and /metrics for a Prometheus scraper bearing METRICS_TOKEN (404 while it is unset).
 * None is behind the console's session guard; none answers anything secret.
 */
export function operationsRoutes(app: FastifyInstance, system: OperationsDeps) {
  // Probes come every few seconds: they are not worth a log line each.
  const probe = { logLevel: 'warn' as const, schema: { hide: true } };
  const Check = Type.String({ description: 'ok, unreachable, pending or stopped' });
  const Readiness = Type.Object({
    status: Type.String(),
    checks: Type.Object({ database: Check, migrations: Check, jobs: Check }),
  });

  app.get(
    '/healthz',
    { ...probe, schema: { hide: true, response: { 200: Type.Object({ status: Type.String() }) } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );

  app.get(
    '/readyz',
    { ...probe, schema: { hide: true, response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      const checks = await readiness(system);
      const ready = Object.values(checks).every((check) => check === 'ok');
      reply.header('cache-control', 'no-store');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );

  const token = system.config.metricsToken;
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  app.get('/metrics', probe, async (request, reply) => {
    // Off unless configured: 404 here rather than the console's page shell (the not-found handler's).
    if (expected === undefined) return reply.code(404).type('text/plain').send('Not found\n');
    const given = request.headers.authorization;
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="Switchboard metrics"');
      return reply.code(401).type('text/plain').send('Send the METRICS_TOKEN as a Bearer token.\n');
    }
    reply.header('cache-control', 'no-store');
    return reply.type(system.metrics.registry.contentType).send(await system.metrics.registry.metrics());
  });
}
