import { sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';

/** Rows inserted per statement: 11 parameters each stay well under PostgreSQL's 65,535. */
const CHUNK = 1000;

export interface NewPrice {
  countryIso: string;
  product: UsageProduct;
  direction: UsageDirection;
  numberType: PricedNumberType;
  prefix: string;
  rateMicros: bigint;
  connectFeeMicros: bigint;
  initialIncrement: number;
  subsequentIncrement: number;
  effectiveFrom: Date;
}

/** SQL for price decks and their prices: rows are only ever added. */
export class PriceStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /**
   * Deck loads take turns: a second load waits for the first to commit, so that a destination priced
   * from the same time in both is refused by name instead of failing on the unique index.
   */
  async lockForLoad() {
    await sql`LOCK TABLE prices IN SHARE ROW EXCLUSIVE MODE`.execute(this.q);
  }

  /** The prices already loaded for these countries from these times (candidates for a clash). */
  async existing(countries: string[], times: Date[]) {
    const found = [];
    for (let i = 0; i < times.length; i += CHUNK) {
      found.push(
        ...(await this.q
          .selectFrom('prices')
          .select(['country_iso', 'product', 'direction', 'number_type', 'prefix', 'effective_from'])
          .where('country_iso', 'in', countries)
          .where('effective_from', 'in', times.slice(i, i + CHUNK))
          .execute()),
      );
    }
    return found;
  }

  async insertDeck(deck: { id: string; loadedBy: string; rowCount: number; loadedAt: Date }) {
    await this.q
      .insertInto('price_decks')
      .values({ id: deck.id, loaded_by: deck.loadedBy, row_count: deck.rowCount, loaded_at: deck.loadedAt })
      .execute();
  }

  async insertPrices(deckId: string, prices: readonly NewPrice[]) {
    for (let i = 0; i < prices.length; i += CHUNK) {
      await this.q
        .insertInto('prices')
        .values(
          prices.slice(i, i + CHUNK).map((price) => ({
            deck_id: deckId,
            country_iso: price.countryIso,
            product: price.product,
            direction: price.direction,
            number_type: price.numberType,
            prefix: price.prefix,
            rate_micros: price.rateMicros,
            connect_fee_micros: price.connectFeeMicros,
            initial_increment: price.initialIncrement,
            subsequent_increment: price.subsequentIncrement,
            effective_from: price.effectiveFrom,
          })),
        )
        .execute();
    }
  }

  /** Every deck, newest first, with who loaded it (a staff member's email) and the span of its effective times. */
  decks() {
    const spans = this.q
      .selectFrom('prices')
      .select((eb) => [
        'deck_id',
        eb.fn.min('effective_from').as('first_effective_from'),
        eb.fn.max('effective_from').as('last_effective_from'),
      ])
      .groupBy('deck_id')
      .as('spans');
    return this.q
      .selectFrom('price_decks')
      .leftJoin(spans, 'spans.deck_id', 'price_decks.id')
      .leftJoin('staff_members', (join) =>
        join.on(sql`'staff:' || staff_members.id::text`, '=', sql.ref('price_decks.loaded_by')),
      )
      .select([
        'price_decks.id',
        'price_decks.loaded_at',
        'price_decks.loaded_by',
        'price_decks.row_count',
        'staff_members.email',
        'spans.first_effective_from',
        'spans.last_effective_from',
      ])
      .orderBy('price_decks.loaded_at', 'desc')
      .orderBy('price_decks.id')
      .limit(200)
      .execute();
  }
}
