import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

type Schema = { properties?: Record<string, unknown>; required?: string[]; anyOf?: Schema[] };
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
      const shapes = v1
        ? [['api_id', 'error']]
        : engine
          ? // The engine door's errors, and a credit session's refusal (402, 403): {"allowed": false, "error", "reason"}.
            [
              ['error', 'message'],
              ['allowed', 'error', 'reason'],
            ]
          : [['code', 'detail']];
      const declared = (schema: Schema | undefined): boolean =>
        schema?.anyOf
          ? schema.anyOf.every(declared)
          : shapes.some((shape) => shape.every((field) => (schema?.required ?? []).includes(field)));
      for (const status of new Set([...required, ...statuses.filter((status) => Number(status) >= 400)])) {
        if (!declared(schemaOf(operation, status))) problems.push(`${at}: ${status} not declared`);
      }
      return problems;
    });
    expect(missing).toEqual([]);
  });
});
