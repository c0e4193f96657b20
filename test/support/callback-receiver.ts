import http from 'node:http';
import plivo from 'plivo';

/** One request a receiver got: what a customer's server sees of a Plivo callback. */
export type ReceivedCallback = {
  method: string;
  /** The URL as requested (scheme, host and port of the receiver, path and query). */
  url: string;
  path: string;
  /** POST: the form fields of the body. GET: the fields of the query. */
  params: Record<string, string>;
  contentType: string;
  nonce: string;
  signature: string;
  /** What the receiver answered. */
  status: number;
};

/**
 * A customer's HTTP server on loopback that records every request and answers 200, or what
 * `answer` decides (a 500 to see a callback retried).
 */
export async function startCallbackReceiver(answer: (callback: ReceivedCallback) => number = () => 200) {
  const received: ReceivedCallback[] = [];
  let port = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const url = `http://127.0.0.1:${port}${request.url}`;
      const fields = request.method === 'POST' ? new URLSearchParams(body) : new URL(url).searchParams;
      const callback: ReceivedCallback = {
        method: request.method ?? '',
        url,
        path: new URL(url).pathname,
        params: Object.fromEntries(fields),
        contentType: request.headers['content-type'] ?? '',
        nonce: String(request.headers['x-plivo-signature-v3-nonce'] ?? ''),
        signature: String(request.headers['x-plivo-signature-v3'] ?? ''),
        status: 0,
      };
      callback.status = answer(callback);
      received.push(callback);
      response.writeHead(callback.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    received,
    /** An address of this receiver. */
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Whether the official SDK's validateV3Signature accepts the callback under this Auth Token, as
 * the customer's server checks it: the URL requested and, for POST, the form fields (a GET's fields
 * are in the URL's query, which the SDK reads from the URL).
 */
export function signedWith(callback: ReceivedCallback, authToken: string): boolean {
  return Boolean(
    plivo
      .validateV3Signature(
        callback.method,
        callback.url,
        callback.nonce,
        authToken,
        callback.signature,
        callback.method === 'POST' ? callback.params : {},
      )
      .valueOf(),
  );
}

/** Waits until `check` answers a value (not undefined, null or false), checking every 20 ms; fails after 15 s saying what it waited for. */
export async function until<T>(what: string, check: () => T | Promise<T>): Promise<NonNullable<T>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
