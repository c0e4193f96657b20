import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A client that sends a request a byte at a time (slowloris) held its connection, and a socket of
 * the server, for as long as it kept dripping. The server gives a whole request its time
 * (REQUEST_TIMEOUT_SECONDS, here 1 s), then answers 408 and closes the connection.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ REQUEST_TIMEOUT_SECONDS: '1' });
});
afterAll(() => server.stop());

/** Sends `head`, then drips `drip` one byte every 100 ms; answers what the server sent before it closed the connection, or null if the client ran out of bytes first. */
function dripUntilClosed(head: string, drip: string): Promise<string | null> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
    socket.write(head, () => {
      timer = setInterval(() => {
        if (sent === drip.length) {
          clearInterval(timer);
          socket.destroy();
          resolve(null);
          return;
        }
        socket.write(drip.slice(sent, ++sent));
      }, 100);
    });
  });
}

describe('a client that sends its request slowly', () => {
  it('gets 408 and a closed connection while dripping a body', async () => {
    const account = await apiAccount(server);
    const body = JSON.stringify({ name: 'Slow'.padEnd(150, ' ') });
    const credentials = Buffer.from(`${account.authId}:${account.authToken}`).toString('base64');
    const received = await dripUntilClosed(
      `POST /v1/Account/${account.authId}/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${credentials}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(received, 'the server kept the connection open while bytes kept coming').not.toBeNull();
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('gets 408 and a closed connection while dripping headers', async () => {
    const received = await dripUntilClosed(
      'GET /api/session HTTP/1.1\r\nHost: localhost\r\n',
      `X-Padding: ${'x'.repeat(150)}\r\n\r\n`,
    );
    expect(received, 'the server kept the connection open while bytes kept coming').not.toBeNull();
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });
});
