import type { LookupAddress } from 'node:dns';
import { promises as dns, lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';

/**
 * Requests Switchboard makes to addresses its customers choose (alert webhooks): where they may go.
 * In production only public unicast addresses (SSRF: no loopback, private, link-local, metadata
 * services); development also allows loopback so a newcomer can try a receiver on their machine;
 * CALLBACK_ALLOW_PRIVATE allows every address (an operator whose customers' receivers are internal).
 */
export interface OutboundPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
}

export function outboundPolicy(config: {
  environment: 'development' | 'production';
  callbackAllowPrivate: boolean;
}): OutboundPolicy {
  return {
    allowLoopback: config.environment === 'development' || config.callbackAllowPrivate,
    allowPrivate: config.callbackAllowPrivate,
  };
}

/** Whether a request may reach this IP address under the policy. */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 addresses are judged as IPv4
  const range = parsed.range();
  if (range === 'unicast') return true;
  if (range === 'loopback') return policy.allowLoopback || policy.allowPrivate;
  return policy.allowPrivate;
}

/** Why a URL cannot receive webhooks (its shape), or null: http(s), a host, no credentials, at most 2,000 characters. */
export function urlShapeProblem(text: string): string | null {
  if (text.length > 2000) return 'must be at most 2,000 characters';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a full address such as https://example.com/hooks/balance';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// (or http://)';
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) return 'must not carry a user name or password';
  return null;
}

/** Why a URL's host may not be reached under the policy (it resolves to a refused address), or null. */
export async function destinationProblem(text: string, policy: OutboundPolicy): Promise<string | null> {
  const host = new URL(text).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host)
      ? [host]
      : (await dns.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return `its host ${host} could not be found`;
  }
  const refused = addresses.find((address) => !addressAllowed(address, policy));
  return refused
    ? `its host ${host} is a private, loopback or link-local address (${refused}), which webhooks may not reach`
    : null;
}

/** Refused by the policy at connection time (the address the name resolved to then). */
export class DestinationRefused extends Error {}

/**
 * POSTs a JSON body and answers the status. The connection goes only to an address the policy
 * allows, checked on the address actually connected to (so a name that resolves elsewhere at
 * delivery than when it was saved, DNS rebinding, is refused too). Redirects are not followed.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundPolicy,
  timeoutMs = 10_000,
): Promise<number> {
  return send(url, 'POST', { type: 'application/json', body }, headers, policy, timeoutMs);
}

/**
 * Sends parameters as a Plivo callback does: form-encoded in a POST body, or in the query string of
 * a GET (added to the URL's own query). Guarded and answered as postJson.
 */
export function sendForm(
  url: string,
  method: 'GET' | 'POST',
  params: Record<string, string>,
  headers: Record<string, string>,
  policy: OutboundPolicy,
  timeoutMs = 10_000,
): Promise<number> {
  const encoded = new URLSearchParams(params).toString();
  if (method === 'POST')
    return send(
      url,
      'POST',
      { type: 'application/x-www-form-urlencoded', body: encoded },
      headers,
      policy,
      timeoutMs,
    );
  const target = new URL(url);
  target.search = target.search ? `${target.search}&${encoded}` : `?${encoded}`;
  return send(target.toString(), 'GET', undefined, headers, policy, timeoutMs);
}

function send(
  url: string,
  method: 'GET' | 'POST',
  content: { type: string; body: string } | undefined,
  headers: Record<string, string>,
  policy: OutboundPolicy,
  timeoutMs: number,
): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const guardedLookup = (
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) =>
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !addressAllowed(entry.address, policy));
      if (refused)
        return callback(
          new DestinationRefused(`${hostname} resolves to a refused address ${refused.address}`),
          [],
        );
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  return new Promise((resolve, reject) => {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host) && !addressAllowed(host, policy)) {
      reject(new DestinationRefused(`${host} is a refused address`));
      return;
    }
    const request = client.request(
      target,
      {
        method,
        headers: {
          ...(content
            ? {
                'content-type': content.type,
                'content-length': String(Buffer.byteLength(content.body)),
              }
            : {}),
          'user-agent': 'Switchboard-Webhooks/1',
          ...headers,
        },
        lookup: guardedLookup as never,
        timeout: timeoutMs,
      },
      (response) => {
        response.resume(); // the answer's body is not read: only its status matters
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(content?.body);
  });
}
