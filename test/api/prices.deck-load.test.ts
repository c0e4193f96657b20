import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDatabaseCommand } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { PriceErrors } from '../../src/modules/billing/errors.js';
import { startServer } from '../../src/server.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { testDataRoot } from '../support/global-setup.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffClient } from '../support/sso.js';

let server: TestServer;
let staff: ConsoleClient;
beforeAll(async () => {
  server = await startTestServer();
  staff = await staffClient(server);
});
afterAll(() => server.stop());

const HEADER = 'country_iso,product,direction,number_type,prefix,rate,connect_fee,effective_from';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The prices loaded for a country, as rows. */
async function pricesOf(countryIso: string) {
  return server.system.database.db
    .selectFrom('prices')
    .select(['product', 'direction', 'prefix', 'rate_micros', 'effective_from'])
    .where('country_iso', '=', countryIso)
    .orderBy('id')
    .execute();
}

/** The voice rate (micro-units a minute) a server rates a call to `number` with at `at`. */
async function rateAt(number: string, at: Date, instance = server) {
  const book = await instance.system.prices.current();
  return book.find({ product: 'voice', direction: 'outbound', number, numberType: '', at })?.tariff.rate
    .micros;
}

describe('staff loading a price deck', () => {
  it('refuses a deck with any wrong line, naming each line, and loads nothing of it', async () => {
    const decksBefore = (await staff.get('/api/staff/prices')).body.decks.length;
    const answer = await staff.post('/api/staff/prices', {
      csv: [
        HEADER,
        'FR,voice,outbound,,33,0.02,,',
        'FR,voice,outbound,,44,0.03,,',
        'FR,sms,outbound,,,0.05,0.01,',
        'FR,voice,outbound,,,0.02,,',
      ].join('\n'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(PriceErrors.invalidDeck);
    expect(answer.body.detail).toContain("line 3: prefix 44 does not start with FR's country code 33");
    expect(answer.body.detail).toContain('line 4: connect_fee is for voice: sms is priced per segment');
    expect(answer.body.detail).toContain('is already priced on line 2');
    expect(answer.body.errors.map((e: { message: string }) => e.message.split(':')[0])).toEqual([
      'line 3',
      'line 4',
      'line 5',
    ]);
    expect(await pricesOf('FR')).toEqual([]);
    expect((await staff.get('/api/staff/prices')).body.decks.length).toBe(decksBefore);
  });

  it('loads a good deck whole, lists it with who loaded it, and records an audit event', async () => {
    const answer = await staff.post('/api/staff/prices', {
      csv: [
        HEADER,
        'DE,voice,outbound,,,0.02,0.001,',
        'DE,voice,outbound,mobile,4915,0.09,,',
        'DE,sms,outbound,,,0.07,,',
      ].join('\n'),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({ deckId: expect.any(String), loaded: 3 });
    expect((await pricesOf('DE')).map((row) => [row.product, row.prefix, row.rate_micros])).toEqual([
      ['voice', '', 20_000n],
      ['voice', '4915', 90_000n],
      ['sms', '', 70_000n],
    ]);
    const listed = await staff.get('/api/staff/prices');
    expect(listed.status).toBe(200);
    const deck = listed.body.decks.find((d: { id: string }) => d.id === answer.body.deckId);
    expect(deck).toMatchObject({ rowCount: 3, loadedBy: expect.stringMatching(/^staff.*@/) });
    expect(new Date(deck.firstEffectiveFrom).getTime()).toBe(new Date(deck.loadedAt).getTime());
    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details', 'staff_id'])
      .where('action', '=', 'prices.loaded')
      .execute();
    expect(audit.map((event) => event.details)).toContainEqual(
      expect.objectContaining({ deck: answer.body.deckId, rows: 3, countries: ['DE'] }),
    );
  });

  it('refuses a destination an earlier deck already prices from the same time, naming the line', async () => {
    const from = iso(server.clock.now().getTime() + 30 * DAY);
    const first = await staff.post('/api/staff/prices', {
      csv: `${HEADER}\nIT,voice,outbound,,39,0.02,,${from}\n`,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await staff.post('/api/staff/prices', {
      csv: `${HEADER}\nIT,sms,outbound,,,0.06,,${from}\nIT,voice,outbound,,,0.025,,${from}\n`,
    });
    expect(second.status).toBe(400);
    expect(second.body.detail).toContain(
      `line 3: IT voice outbound, the country default, from ${new Date(from).toISOString()} is already priced by an earlier deck`,
    );
    expect((await pricesOf('IT')).map((row) => [row.product, row.rate_micros])).toEqual([['voice', 20_000n]]);
  });

  it('rates usage at the price in force when it happened: a later effective_from replaces an earlier row from then', async () => {
    const now = server.clock.now().getTime();
    const later = now + 7 * DAY;
    const first = await staff.post('/api/staff/prices', {
      csv: `${HEADER}\nES,voice,outbound,,,0.03,,\nES,voice,outbound,,3491,0.02,,\n`,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await rateAt('34915550100', new Date(now + DAY))).toBe(20_000n);
    // This instance's book is cached now; the next deck's commit must replace it.
    const second = await staff.post('/api/staff/prices', {
      csv: `${HEADER}\nES,voice,outbound,,3491,0.015,,${iso(later)}\n`,
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(await rateAt('34915550100', new Date(later - 1000))).toBe(20_000n);
    expect(await rateAt('34915550100', new Date(later))).toBe(15_000n);
    expect(await rateAt('34935550100', new Date(later))).toBe(30_000n);
  });

  it('refuses the staff routes to a customer session', async () => {
    const { ConsoleClient } = await import('../support/browser-client.js');
    const anonymous = new ConsoleClient(server.url);
    expect((await anonymous.post('/api/staff/prices', { csv: `${HEADER}\n` })).status).toBe(401);
    expect((await anonymous.get('/api/staff/prices')).status).toBe(401);
  });
});

// Two instances share a database only on PostgreSQL (PGlite is one process's database).
describe.skipIf(process.env.TEST_TARGET !== 'postgres')('two instances', () => {
  it('rates with a deck loaded on another instance once its commit is announced', async () => {
    const other = await startTestServer({}, { sameDatabaseAs: server });
    try {
      const at = new Date(server.clock.now().getTime() + DAY);
      // The other instance has read (and cached) its prices before the deck exists.
      expect(await rateAt('819012345678', at, other)).toBeUndefined();
      const answer = await staff.post('/api/staff/prices', {
        csv: `${HEADER}\nJP,voice,outbound,,,0.04,,\n`,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      await expect.poll(() => rateAt('819012345678', at, other)).toBe(40_000n);
    } finally {
      await other.stop();
    }
  });
});

describe('switchboard prices load', () => {
  it('loads the example deck README points to', async () => {
    const csv = readFileSync(path.resolve('config/example-price-deck.csv'), 'utf8');
    const rows = csv.trim().split('\n').length - 1;
    if (process.env.TEST_TARGET === 'postgres') {
      expect(await runDatabaseCommand(server.config, 'prices.load', { csv })).toEqual({
        deckId: expect.any(String),
        loaded: rows,
      });
      return;
    }
    const dir = path.join(testDataRoot, `cli_${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    cpSync(inject('pgliteTemplate'), path.join(dir, 'pglite'), { recursive: true });
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent' });
    const embedded = await startServer(config);
    try {
      expect(await runDatabaseCommand(config, 'prices.load', { csv })).toEqual({
        deckId: expect.any(String),
        loaded: rows,
      });
      const pricing = await embedded.system.priceDecks.pricing('US');
      expect(pricing.voice.outbound.rates.length).toBeGreaterThan(1);
    } finally {
      await embedded.stop();
    }
  });
});
