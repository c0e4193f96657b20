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

const schemaOf = (operation: Operation, status: string) =>
  Object.values(operation.responses?.[status]?.content ?? {})[0]?.schema;

describe('the API document declares what each operation answers', () => {
  it('gives every operation a success answer and its door’s error shape for each refusal', async () => {
    const document = (await (await fetch(`${server.url}/docs/json`)).json()) as Document;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        at: `${method} ${path}`,
        operation,
        v1: path.startsWith('/v1/'),
        engine: path.startsWith('/api/engine/'),
      })),
    );
    expect(operations.length).toBeGreaterThan(100);
    const missing = operations.flatMap(({ at, operation, v1, engine }) => {
      const statuses = Object.keys(operation.responses ?? {});
      const problems: string[] = [];
      if (!statuses.some((status) => /^(20[0-4]|303)$/.test(status)))
        problems.push(`${at}: no success answer`);
      // Every route can refuse its input, the caller or its permission, and fail; /v1 adds 404 and 429.
      const required = v1 ? ['400', '401', '403', '404', '429', '500'] : ['400', '401', '403', '500'];
      const shape = v1 ? ['api_id', 'error'] : engine ? ['error', 'message'] : ['code', 'detail'];
      for (const status of new Set([...required, ...statuses.filter((status) => Number(status) >= 400)])) {
        const fields = schemaOf(operation, status)?.required ?? [];
        if (!shape.every((field) => fields.includes(field))) problems.push(`${at}: ${status} not declared`);
      }
      return problems;
    });
    expect(missing).toEqual([]);
  });
});
