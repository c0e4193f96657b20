import { randomUUID } from 'node:crypto';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../src/db/schema.js';
import type { TestServer } from './server.js';

/** A price row as a deck holds it; unspecified fields take the deck's defaults (60/60, no connect fee). */
export interface TestPrice {
  country_iso: string;
  product: UsageProduct;
  direction: UsageDirection;
  number_type?: PricedNumberType;
  prefix?: string;
  rate_micros: bigint;
  connect_fee_micros?: bigint;
  initial_increment?: number;
  subsequent_increment?: number;
  effective_from?: Date;
}

/**
 * Loads prices straight into price_decks and prices (the CSV deck loader is not what these tests
 * are about) and makes the server rate with them from its next event.
 */
export async function loadTestPrices(server: TestServer, prices: readonly TestPrice[]): Promise<void> {
  const db = server.system.database.db;
  const deckId = randomUUID();
  await db
    .insertInto('price_decks')
    .values({ id: deckId, loaded_by: 'test', row_count: prices.length })
    .execute();
  await db
    .insertInto('prices')
    .values(
      prices.map((price) => ({
        deck_id: deckId,
        number_type: '' as PricedNumberType,
        prefix: '',
        connect_fee_micros: 0n,
        initial_increment: 60,
        subsequent_increment: 60,
        effective_from: new Date('2020-01-01T00:00:00Z'),
        ...price,
      })),
    )
    .execute();
  server.system.prices.forget();
}

/** An engine credential made as staff would: its id and its key. */
export async function testEngine(server: TestServer, name = `sbc-${randomUUID().slice(0, 8)}`) {
  const created = await server.system.engines.create({ ip: 'test', userAgent: null }, name);
  return { engineId: created.engineId, key: created.key };
}

/** POST /api/engine/usage with a Bearer key; answers the status and parsed body. */
export async function postUsage(server: { url: string }, key: string | null, body: unknown) {
  const response = await fetch(`${server.url}/api/engine/usage`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
