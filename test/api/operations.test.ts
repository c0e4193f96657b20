import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { setUpStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * What a load balancer and monitoring rely on: /healthz, /readyz that turns 503 when this instance
 * cannot serve (so traffic goes elsewhere), and /metrics for Prometheus, which only the scraper
 * holding METRICS_TOKEN may read and which names route patterns, never an account or a token.
 */
const metricsToken = randomBytes(32).toString('hex');

async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample line, given its metric name and labels as Prometheus prints them. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('probes and metrics of a healthy instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: metricsToken, RATE_LIMIT_STANDARD: '2' });
  });
  afterAll(() => server.stop());

  it('answers /healthz and /readyz with 200 and names no secret', async () => {
    const health = await get(server, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', jobs: 'ok' },
    });
  });

  it('refuses /metrics to a scraper without the token or with another one', async () => {
    expect((await get(server, '/metrics')).status).toBe(401);
    const wrong = await get(server, '/metrics', { authorization: `Bearer ${'0'.repeat(64)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('switchboard_');
  });

  it('counts requests per door, route pattern and status, and rate-limit refusals, naming no account or token', async () => {
    const account = await apiAccount(server);
    const staff = await setUpStaff(server);
    server.clock.freeze();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await v1(server, account, 'GET', `/Account/${account.authId}/`)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    server.clock.advanceMilliseconds(5000);
    expect((await v1(server, account, 'GET', `/Account/${account.authId}/NoSuchThing/`)).status).toBe(404);
    // apiAccount read /api/me once already.
    expect((await account.client.get('/api/me')).status).toBe(200);

    const scraped = await get(server, '/metrics', { authorization: `Bearer ${metricsToken}` });
    expect(scraped.status).toBe(200);
    expect(scraped.type).toContain('text/plain; version=0.0.4');
    const text = scraped.text;
    const requests = 'switchboard_http_requests_total';
    expect(sample(text, requests, 'door="v1",method="GET",route="/v1/Account/:authId/",status="200"')).toBe(
      2,
    );
    expect(sample(text, requests, 'door="v1",method="GET",route="/v1/Account/:authId/",status="429"')).toBe(
      1,
    );
    expect(sample(text, requests, 'door="v1",method="GET",route="unmatched",status="404"')).toBe(1);
    expect(sample(text, requests, 'door="console",method="GET",route="/api/me",status="200"')).toBe(2);
    expect(sample(text, requests, 'door="staff",method="POST",route="/api/staff/setup",status="204"')).toBe(
      1,
    );
    expect(
      sample(text, requests, 'door="staff",method="GET",route="/api/staff/setup/:token",status="200"'),
    ).toBe(1);
    expect(sample(text, 'switchboard_rate_limit_refusals_total', 'class="standard"')).toBe(1);
    expect(
      sample(
        text,
        'switchboard_http_request_duration_seconds_count',
        'door="v1",method="GET",route="/v1/Account/:authId/"',
      ),
    ).toBe(3);
    expect(text).toMatch(/^switchboard_outbox_pending \d+$/m);
    expect(text).toMatch(/^switchboard_outbox_oldest_pending_age_seconds [\d.]+$/m);
    expect(text).toMatch(/^switchboard_outbox_failed \d+$/m);
    expect(text).toMatch(/^switchboard_jobs_runner_up 1$/m);
    expect(text).toMatch(/^switchboard_jobs_queued \d+$/m);
    expect(text).toMatch(/^switchboard_jobs_oldest_queued_age_seconds [\d.]+$/m);
    expect(text).toMatch(/^switchboard_jobs_failed \d+$/m);
    expect(text).toMatch(/^switchboard_database_waiting_queries\{driver="(pglite|postgres)"\} \d+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    for (const secret of [account.authId, account.authToken, staff.email, staff.secret]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('an instance that cannot serve', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('has no /metrics while METRICS_TOKEN is unset', async () => {
    expect((await get(server, '/metrics')).status).toBe(404);
  });

  it('answers /readyz 503 once its jobs stop, and once its database is unreachable, while /healthz still answers', async () => {
    await server.system.jobs.stop();
    const jobsStopped = await get(server, '/readyz');
    expect(jobsStopped.status).toBe(503);
    expect(JSON.parse(jobsStopped.text)).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', migrations: 'ok', jobs: 'stopped' },
    });

    await server.system.database.close();
    const unreachable = await get(server, '/readyz');
    expect(unreachable.status).toBe(503);
    expect(JSON.parse(unreachable.text)).toEqual({
      status: 'not_ready',
      checks: { database: 'unreachable', migrations: 'unreachable', jobs: 'stopped' },
    });
    expect((await get(server, '/healthz')).status).toBe(200);
  });
});
