import { expect } from 'vitest';
import type { ConsoleClient } from './browser-client.js';

export interface Step {
  method: 'GET' | 'POST';
  url: URL;
  form?: Record<string, string>;
}

const htmlDecode = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x2F;/g, '/')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** A page as text, for failure messages. */
const textOf = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 600);

/** The first POST form of a page: its action and fields (as a browser would submit it). */
function formIn(html: string, base: URL): { url: URL; fields: Record<string, string> } | null {
  const form = /<form([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  const action = /action="([^"]*)"/.exec(form?.[1] ?? '')?.[1];
  if (!form || action === undefined || !/method="post"/i.test(form[1] ?? '')) return null;
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input([^>]*)>/gi)) {
    const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
    if (name) fields[name] = htmlDecode(/value="([^"]*)"/.exec(input[1] ?? '')?.[1] ?? '');
  }
  return { url: new URL(htmlDecode(action), base), fields };
}

/**
 * The browser side of single sign-on, driven with fetch: it follows redirects between Switchboard
 * (the console client's cookies) and an identity provider (cookies of its own, over the test CA's
 * https), fills the IdP's sign-in form with `login`, consents, and submits auto-posting forms. Like a
 * real browser, a form posted to Switchboard from the IdP's site carries no Switchboard cookie
 * (SameSite=Lax) and carries the IdP's Origin.
 */
export class SsoBrowser {
  private readonly idpCookies = new Map<string, Map<string, string>>();

  constructor(
    readonly client: ConsoleClient,
    private readonly idpFetch: typeof fetch,
  ) {}

  private get switchboard() {
    return new URL(this.client.baseUrl).origin;
  }

  /** One request without following redirects. */
  async send(step: Step, from?: URL) {
    const onSwitchboard = step.url.origin === this.switchboard;
    const headers: Record<string, string> = { 'user-agent': this.client.userAgent };
    const crossSitePost = step.method === 'POST' && from !== undefined && from.origin !== step.url.origin;
    if (step.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (crossSitePost && from) headers.origin = from.origin;
    let response: Response;
    if (onSwitchboard) {
      headers['x-forwarded-for'] = this.client.ip;
      if (!crossSitePost && this.client.cookies.size) {
        headers.cookie = [...this.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      }
      response = await fetch(step.url, {
        method: step.method,
        headers,
        body: step.form ? new URLSearchParams(step.form) : undefined,
        redirect: 'manual',
      });
      this.keep(response, this.client.cookies);
    } else {
      const jar = this.idpCookies.get(step.url.origin) ?? new Map<string, string>();
      this.idpCookies.set(step.url.origin, jar);
      if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      response = await this.idpFetch(step.url, {
        method: step.method,
        headers,
        body: step.form ? new URLSearchParams(step.form).toString() : undefined,
        redirect: 'manual',
      });
      this.keep(response, jar);
    }
    const location = response.headers.get('location');
    return {
      status: response.status,
      location: location ? new URL(location, step.url) : null,
      body: await response.text(),
    };
  }

  /**
   * Goes from `start` until the browser reaches a Switchboard page (not /api/), or a step for which
   * `stopAt` answers true (that step is answered, not taken).
   */
  async navigate(start: string, login: string, stopAt: (step: Step) => boolean = () => false): Promise<Step> {
    let step: Step = { method: 'GET', url: new URL(start) };
    let from: URL | undefined;
    for (let hops = 0; hops < 25; hops++) {
      if (stopAt(step)) return step;
      if (step.url.origin === this.switchboard && !step.url.pathname.startsWith('/api/')) return step;
      const answer = await this.send(step, from);
      from = step.url;
      if (answer.status >= 300 && answer.status < 400 && answer.location) {
        step = { method: 'GET', url: answer.location };
        continue;
      }
      const form = answer.status === 200 ? formIn(answer.body, step.url) : null;
      expect(
        form,
        `no redirect or form at ${step.url} (${answer.status}): ${textOf(answer.body)}`,
      ).toBeTruthy();
      if (!form) break;
      if ('login' in form.fields) form.fields.login = login;
      if ('password' in form.fields) form.fields.password = 'any password the test IdP accepts';
      step = { method: 'POST', url: form.url, form: form.fields };
    }
    throw new Error(`single sign-on did not come back to Switchboard from ${start}`);
  }

  /** Takes one step (e.g. a captured callback) and follows it back to a Switchboard page. */
  async take(step: Step, from?: URL): Promise<URL> {
    const answer = await this.send(step, from);
    expect(answer.status, answer.body).toBe(303);
    return answer.location as URL;
  }

  private keep(response: Response, jar: Map<string, string>) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie) || /max-age=0\b/i.test(cookie))
        jar.delete(name);
      else jar.set(name, value);
    }
  }
}
