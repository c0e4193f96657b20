import { isSupportedCountry } from 'libphonenumber-js/max';
import { type Db, inTransaction } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { NumberService } from '../numbers/service.js';
import { PriceErrors } from './errors.js';
import type { Prices } from './price-book.js';
import { describeDestination, destinationKey, readPriceDeckCsv } from './price-deck-file.js';
import type { Pricing } from './price-schemas.js';
import { PriceStore } from './price-store.js';
import { pricingOf } from './pricing.js';

/** At most this many problems are spelled out in a refusal; the rest are counted. */
const PROBLEMS_SHOWN = 50;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Refuses a deck, naming its problems (each with its line) in the message and one by one in the fields. */
const refuse = (problems: string[]) =>
  ValidationFailed(
    PriceErrors.invalidDeck,
    `No prices were loaded. ${problems.slice(0, PROBLEMS_SHOWN).join('. ')}${
      problems.length > PROBLEMS_SHOWN ? `. (${problems.length - PROBLEMS_SHOWN} more problems)` : ''
    }.`,
    problems.slice(0, PROBLEMS_SHOWN).map((message) => ({ field: 'csv', message })),
  );

/**
 * Price decks staff load and the prices customers read: a deck is loaded whole or not at all; its
 * rows never change, a later effective_from replaces an earlier row from that time, and every
 * instance re-reads the prices once a deck is committed.
 */
export class PriceDeckService {
  private readonly store: PriceStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly prices: Pick<Prices, 'current' | 'announceChange'>,
    private readonly numbers: Pick<NumberService, 'rentalPrices'>,
  ) {
    this.store = new PriceStore(db);
  }

  /**
   * Loads a price deck (CSV, see README): every line is checked first and nothing is loaded unless
   * all are good; a destination already priced from the same time, in this file or an earlier deck,
   * is refused, naming its line. `loadedBy` is "staff:<id>" or "cli".
   */
  async load(actor: Actor, loadedBy: string, csv: string) {
    const now = this.clock.now();
    const { prices, problems } = readPriceDeckCsv(csv, now);
    assertThat(problems.length === 0, () => refuse(problems));
    return inTransaction(this.db, async () => {
      await this.store.lockForLoad();
      const countries = [...new Set(prices.map((price) => price.countryIso))];
      const times = [
        ...new Map(prices.map((price) => [price.effectiveFrom.getTime(), price.effectiveFrom])).values(),
      ];
      const loaded = new Set(
        (await this.store.existing(countries, times)).map((row) =>
          destinationKey({
            countryIso: row.country_iso,
            product: row.product,
            direction: row.direction,
            numberType: row.number_type,
            prefix: row.prefix,
            effectiveFrom: row.effective_from,
          }),
        ),
      );
      const clashes = prices.filter((price) => loaded.has(destinationKey(price)));
      assertThat(clashes.length === 0, () =>
        refuse(
          clashes.map(
            (price) =>
              `line ${price.line}: ${describeDestination(price)} is already priced by an earlier deck`,
          ),
        ),
      );
      const deckId = newId();
      await this.store.insertDeck({ id: deckId, loadedBy, rowCount: prices.length, loadedAt: now });
      await this.store.insertPrices(deckId, prices);
      await this.audit.record(actor, {
        action: 'prices.loaded',
        details: { deck: deckId, rows: prices.length, countries: countries.slice(0, 100) },
      });
      await this.prices.announceChange();
      return { deckId, loaded: prices.length };
    });
  }

  /** The decks loaded, newest first (the staff console's list). */
  async decks() {
    const rows = await this.store.decks();
    return rows.map((row) => ({
      id: row.id,
      loadedAt: row.loaded_at,
      loadedBy: row.email ?? row.loaded_by,
      rowCount: row.row_count,
      firstEffectiveFrom: row.first_effective_from ?? null,
      lastEffectiveFrom: row.last_effective_from ?? null,
    }));
  }

  /**
   * A country's prices in force now ("Where do I find pricing information?"): usage prices from the
   * decks and number rentals from the inventory. country_iso is required; a country with nothing
   * priced answers 404.
   */
  async pricing(countryIsoParameter: string | undefined): Promise<Pricing> {
    const countryIso = (countryIsoParameter ?? '').trim().toUpperCase();
    assertThat(
      countryIso,
      ValidationFailed(
        PriceErrors.countryIsoRequired,
        'country_iso is required: the two-letter country code, such as US.',
        [{ field: 'country_iso', message: 'required' }],
      ),
    );
    assertThat(
      /^[A-Z]{2}$/.test(countryIso),
      ValidationFailed(
        PriceErrors.invalidCountryIso,
        `country_iso must be a two-letter country code, such as US, not "${countryIsoParameter}".`,
        [{ field: 'country_iso', message: 'must be a two-letter country code' }],
      ),
    );
    const nothing = () =>
      NotFound(
        PriceErrors.noPricing,
        isSupportedCountry(countryIso)
          ? `There are no prices for ${regionNames.of(countryIso) ?? countryIso} (${countryIso}).`
          : `There is no country ${countryIso}: country_iso is a two-letter country code, such as US.`,
      );
    assertThat(isSupportedCountry(countryIso), nothing);
    const book = await this.prices.current();
    const inForce = book.inForce(countryIso, this.clock.now());
    const rentals = await this.numbers.rentalPrices(countryIso);
    assertThat(inForce.length > 0 || rentals.length > 0, nothing);
    return pricingOf(countryIso, inForce, rentals);
  }
}
