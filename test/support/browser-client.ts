import { randomBytes } from 'node:crypto';

/**
 * A private address of its own for each client: per-IP throttles live in Redis across test files
 * and runs, so clients that do not choose an address must not share one.
 */
export function uniqueIp(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `10.${a}.${b}.${Math.max(c, 1)}`;
}

/**
 * An HTTP client that behaves like the console in a browser: it keeps cookies, sends the CSRF token
 * of its session, and comes from an address of its own (X-Forwarded-For from a trusted proxy).
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  constructor(
    readonly baseUrl: string,
    public ip = uniqueIp(),
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
    if (this.ip !== '127.0.0.1') headers['x-forwarded-for'] = this.ip;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
  put = (path: string, body: unknown = {}) => this.request('PUT', path, body);
  patch = (path: string, body: unknown = {}) => this.request('PATCH', path, body);
  delete = (path: string) => this.request('DELETE', path);

  /** Reads the session's CSRF token, as the console does after each sign-in step. */
  async refreshSession(path = '/api/session') {
    const session = await this.get(path);
    if (session.status === 200) this.csrfToken = session.body.csrfToken;
    return session;
  }
}
