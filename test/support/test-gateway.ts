import { expect } from 'vitest';
import type { ConsoleClient } from './browser-client.js';

/**
 * A card token from the built-in test gateway, as the console gets one: the member's card setup,
 * then the card number to the test gateway's own endpoint (never to /api).
 */
export async function testCardToken(
  server: { url: string },
  client: ConsoleClient,
  number = '4242424242424242',
): Promise<string> {
  const setup = await client.post('/api/billing/payment-methods/setup');
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  expect(setup.body.gateway).toBe('test');
  const card = await fetch(`${server.url}/test-gateway/cards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      customer: setup.body.customerRef,
      number,
      expMonth: 12,
      expYear: 2031,
      cvc: '123',
    }),
  });
  const body = (await card.json()) as { card?: string; message?: string };
  expect(card.status, body.message).toBe(201);
  return body.card as string;
}

/** Saves a test card on the member's account: its payment method. */
export async function savedTestCard(server: { url: string }, client: ConsoleClient, number?: string) {
  const saved = await client.post('/api/billing/payment-methods', {
    proof: await testCardToken(server, client, number),
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  return saved.body as { id: string; brand: string; last4: string };
}
