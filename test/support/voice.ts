import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestPrice } from './engine-usage.js';

/** Calls to SIP endpoints at 0.06 a minute, by the second (ZZ voice rows of number type ip). */
export const sipPrices: TestPrice[] = [
  {
    country_iso: 'ZZ',
    product: 'voice',
    direction: 'outbound',
    number_type: 'ip',
    rate_micros: 60_000n,
    initial_increment: 1,
    subsequent_increment: 1,
  },
];

/** A POST to the engine door as a SIP server makes it (Bearer engine key); answers the status and parsed body. */
export async function engineCall(server: { url: string }, key: string, path: string, body: unknown) {
  const response = await fetch(`${server.url}/api/engine${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A call from one endpoint to another, as the SIP server asks for it: ringing until answered. Answers its uuid. */
export async function ringingCall(server: { url: string }, key: string, from: string, to: string) {
  const routed = await engineCall(server, key, '/calls', {
    sip_call_id: `${randomUUID()}@127.0.0.1`,
    from_user: from,
    from,
    to,
    source_ip: '127.0.0.1',
  });
  expect(routed.status, JSON.stringify(routed.body)).toBe(201);
  return routed.body.call_uuid as string;
}

/** The SIP server reports the call answered (with its dialog's ids). */
export async function answerCall(server: { url: string }, key: string, callUuid: string) {
  const answered = await engineCall(server, key, `/calls/${callUuid}/answer`, { h_entry: 1, h_id: 2 });
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);
}

/** The SIP server reports the call ended, by the callee. */
export async function endCall(server: { url: string }, key: string, callUuid: string) {
  const ended = await engineCall(server, key, `/calls/${callUuid}/end`, {
    hangup_cause: 'NORMAL_CLEARING',
    hangup_source: 'callee',
  });
  expect(ended.status, JSON.stringify(ended.body)).toBe(200);
}
