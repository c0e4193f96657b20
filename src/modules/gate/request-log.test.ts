import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { up as compactRequestBatches } from '../../db/migrations/0010_compact_request_batches.js';
import { ApiLogService } from '../api-logs/service.js';
import { ApiKeyStore } from '../credentials/api-key-store.js';
import { CredentialStore } from '../credentials/store.js';
import { type ApiRequestRecord, RequestLog } from './request-log.js';

let handle: DatabaseHandle;
let requestLog: RequestLog;
let apiLogs: ApiLogService;
const now = new Date('2026-12-03T10:00:00.000Z');

beforeAll(async () => {
  handle = await createTestDatabase();
  requestLog = new RequestLog(
    handle.db,
    new CredentialStore(handle.db),
    new ApiKeyStore(handle.db),
    pino({ level: 'silent' }),
  );
  apiLogs = new ApiLogService(handle.db, { now: () => now });
});
afterAll(() => handle.close());

function request(accountId: string, overrides: Partial<ApiRequestRecord>): ApiRequestRecord {
  return {
    accountId,
    apiId: requestLog.nextApiId(),
    method: 'GET',
    path: `/v1/Account/MA${'0'.repeat(18)}/`,
    status: 200,
    ip: '192.0.2.1',
    durationMs: 3,
    at: now,
    tokenId: null,
    keyId: null,
    ...overrides,
  };
}

const listAll = (accountId: string) =>
  apiLogs.search(accountId, { from: '2026-12-01T00:00:00Z', limit: 100, offset: 0 });

describe(`the API request log on ${testTarget}`, () => {
  it('gives every request a distinct UUID-shaped api_id', () => {
    const ids = Array.from({ length: 1000 }, () => requestLog.nextApiId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads back every request as it was recorded: api_id, method, path, status, address, duration and time', async () => {
    const accountId = randomUUID();
    const recorded = [
      request(accountId, { at: new Date(now.getTime() - 2500) }),
      request(accountId, {
        method: 'POST',
        path: '/v1/Account/x/Application/"quoted"/ünï\\',
        status: 400,
        ip: '2001:db8::7',
        durationMs: 12,
        at: new Date(now.getTime() - 1001),
      }),
      // An api_id made elsewhere (any UUID) is kept as it is.
      request(accountId, { apiId: randomUUID(), status: 429, at: new Date(now.getTime() - 1000) }),
      request(accountId, { at: now }),
    ];
    for (const entry of recorded) requestLog.record(entry);
    await requestLog.flush();

    const { requests, total } = await listAll(accountId);
    expect(total).toBe(4);
    expect(requests).toEqual(
      [...recorded]
        .reverse()
        .map(({ accountId: _a, tokenId: _t, keyId: _k, ...view }) => ({ ...view, subaccount: null })),
    );
  });

  it('keeps accounts apart within one flush', async () => {
    const first = randomUUID();
    const second = randomUUID();
    requestLog.record(request(first, { path: '/v1/first' }));
    requestLog.record(request(second, { path: '/v1/second' }));
    requestLog.record(request(first, { path: '/v1/first' }));
    await requestLog.flush();
    expect((await listAll(first)).requests.map((r) => r.path)).toEqual(['/v1/first', '/v1/first']);
    expect((await listAll(second)).requests.map((r) => r.path)).toEqual(['/v1/second']);
  });
});

describe(`migration 0010 on ${testTarget}`, () => {
  it('keeps the requests logged in the earlier layout, api_ids included', async () => {
    const accountId = randomUUID();
    const apiIds = [randomUUID(), randomUUID()];
    // The table as migration 0009 left it: only batches of the earlier layout.
    await sql`DELETE FROM api_request_batches`.execute(handle.db);
    await sql`ALTER TABLE api_request_batches DROP COLUMN api_id_prefix, DROP COLUMN paths, DROP COLUMN ips`.execute(
      handle.db,
    );
    const earlier = JSON.stringify([
      [apiIds[0], 'GET', '/v1/Account/MA1/', 200, '192.0.2.9', 4, now.getTime() - 60_000],
      [apiIds[1], 'DELETE', '/v1/Account/MA1/Application/7/', 404, '2001:db8::1', 9, now.getTime() - 30_000],
    ]);
    await sql`INSERT INTO api_request_batches (account_id, first_at, last_at, request_count, requests)
      VALUES (${accountId}, ${new Date(now.getTime() - 60_000)}, ${new Date(now.getTime() - 30_000)}, 2, ${earlier})`.execute(
      handle.db,
    );
    await compactRequestBatches(handle.db as never);

    const { requests } = await listAll(accountId);
    expect(requests).toEqual([
      {
        apiId: apiIds[1],
        method: 'DELETE',
        path: '/v1/Account/MA1/Application/7/',
        status: 404,
        ip: '2001:db8::1',
        durationMs: 9,
        at: new Date(now.getTime() - 30_000),
        subaccount: null,
      },
      {
        apiId: apiIds[0],
        method: 'GET',
        path: '/v1/Account/MA1/',
        status: 200,
        ip: '192.0.2.9',
        durationMs: 4,
        at: new Date(now.getTime() - 60_000),
        subaccount: null,
      },
    ]);
  });
});
