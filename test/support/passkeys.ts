import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { ConsoleClient } from './browser-client.js';
import { startTestServer, type TestServer } from './server.js';
import type { SoftwareAuthenticator } from './software-authenticator.js';

/** A port nobody listens on now (the server takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A test server whose public URL is http://localhost:<port>: a passkey's relying party must be a
 * domain (browsers refuse an IP address), and the origin the server expects is its public URL's.
 */
export async function startPasskeyServer(): Promise<TestServer> {
  const port = await freePort();
  const publicUrl = `http://localhost:${port}`;
  const server = await startTestServer({ PORT: String(port), PUBLIC_URL: publicUrl });
  return { ...server, url: publicUrl, config: { ...server.config, publicUrl } };
}

/** Adds a passkey under Security (the session re-authenticates with the password first); answers it. */
export async function enrolPasskey(
  server: TestServer,
  client: ConsoleClient,
  authenticator: SoftwareAuthenticator,
  options: { name?: string; password?: string; door?: 'user' | 'staff' } = {},
) {
  const base = options.door === 'staff' ? '/api/staff/security/passkeys' : '/api/security/passkeys';
  const begun = await client.post(`${base}/options`);
  expect(begun.status, JSON.stringify(begun.body)).toBe(200);
  const credential = authenticator.create(begun.body.options, server.config.publicUrl);
  const added = await client.post(base, { name: options.name ?? 'Work laptop', credential });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body as { id: string; name: string };
}
