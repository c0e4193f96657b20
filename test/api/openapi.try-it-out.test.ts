import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type Operation = { security?: Record<string, string[]>[] };
type Document = {
  components: { securitySchemes: Record<string, Record<string, string>> };
  paths: Record<string, Record<string, Operation>>;
};

const operations = (document: Document, prefix: string) =>
  Object.entries(document.paths)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );

describe('the API document at /docs, so that "Authorize" can try the API', () => {
  it('declares HTTP Basic for every /v1 operation and the session cookies for the console and staff APIs', async () => {
    const answer = await fetch(`${server.url}/docs/json`);
    expect(answer.status).toBe(200);
    const document = (await answer.json()) as Document;
    expect(document.components.securitySchemes).toMatchObject({
      basicAuth: { type: 'http', scheme: 'basic' },
      consoleSession: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
      staffSession: { type: 'apiKey', in: 'cookie', name: 'sb_staff_session' },
    });
    const v1 = operations(document, '/v1/');
    expect(v1.length).toBeGreaterThan(20);
    expect(v1.filter(({ operation }) => JSON.stringify(operation.security) !== '[{"basicAuth":[]}]')).toEqual(
      [],
    );
    const security = (at: string) =>
      operations(document, '/api/').find((op) => op.at === at)?.operation.security;
    expect(security('get /api/logs/api')).toEqual([{ consoleSession: [] }]);
    expect(security('post /api/staff/numbers')).toEqual([{ staffSession: [] }]);
    expect(security('post /api/session')).toEqual([]);
    expect(security('post /api/staff/session')).toEqual([]);
  });
});
