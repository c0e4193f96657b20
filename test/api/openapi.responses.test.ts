import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type Schema = { properties?: Record<string, unknown>; required?: string[] };
type Operation = {
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>> };

/** The routes typed so far; the other modules' tags join this list as their routes get their schemas. */
const typedTags = [
  'Plivo-compatible API: Account',
  'Plivo-compatible API: Number and PhoneNumber',
  'Plivo-compatible API: Application (HTTP only: the SDK sends these to Plivo’s own host)',
  'Plivo-compatible API: Endpoint (HTTP only: the SDK sends these to Plivo’s own host)',
  'Plivo-compatible API: Subaccount',
  'Console: phone numbers',
  'Console: applications',
  'Console: endpoints',
  'Console: subaccounts',
];

const schemaOf = (operation: Operation, status: string) =>
  Object.values(operation.responses?.[status]?.content ?? {})[0]?.schema;

describe('the API document declares what each operation answers', () => {
  it('gives every typed operation a success answer and its door’s error shape for each refusal', async () => {
    const document = (await (await fetch(`${server.url}/docs/json`)).json()) as Document;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.tags?.some((tag) => typedTags.includes(tag)))
        .map(([method, operation]) => ({ at: `${method} ${path}`, operation, v1: path.startsWith('/v1/') })),
    );
    expect(operations.length).toBeGreaterThan(35);
    const missing = operations.flatMap(({ at, operation, v1 }) => {
      const statuses = Object.keys(operation.responses ?? {});
      const problems: string[] = [];
      if (!statuses.some((status) => /^20[0-4]$/.test(status))) problems.push(`${at}: no success answer`);
      for (const status of ['400', '401', '403', '404', '500']) {
        const required = schemaOf(operation, status)?.required ?? [];
        const shape = v1 ? ['api_id', 'error'] : ['code', 'detail'];
        if (!shape.every((field) => required.includes(field))) problems.push(`${at}: ${status} not declared`);
      }
      return problems;
    });
    expect(missing).toEqual([]);
  });
});
