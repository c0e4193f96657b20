import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';

/** The tables whose rows belong to a main account and, optionally, one of its subaccounts. */
type OwnedTable = 'numbers' | 'applications' | 'endpoints' | 'messages' | 'calls';

/** Who is asking, as far as ownership goes: a main account, or one of its subaccounts. */
export interface OwnerScope {
  mainAccountId: string;
  subaccount: { id: string } | null;
}

/**
 * The rows a caller may see: a main account sees its own and all of its subaccounts'; a subaccount
 * sees only its own.
 */
export function ownedWithin(scope: OwnerScope, table: OwnedTable): Expression<SqlBool> {
  const ofAccount = sql<SqlBool>`${sql.ref(`${table}.account_id`)} = ${scope.mainAccountId}`;
  return scope.subaccount
    ? sql<SqlBool>`${ofAccount} and ${sql.ref(`${table}.subaccount_id`)} = ${scope.subaccount.id}`
    : ofAccount;
}

/** The Auth ID of the subaccount holding a row (null for the main account), as `subaccount_auth_id`. */
export const subaccountAuthIdOf = (table: OwnedTable) =>
  sql<
    string | null
  >`(select auth_id from accounts where accounts.id = ${sql.ref(`${table}.subaccount_id`)})`.as(
    'subaccount_auth_id',
  );

/** One page of a query's rows, in the given order, with the count of all its rows; both read at once. */
export async function pageOf<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  ordered: (query: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>,
  page: { limit: number; offset: number },
) {
  const [rows, count] = await Promise.all([
    ordered(query).limit(page.limit).offset(page.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll().as('count'))
      // The selection's type cannot be worked out for any query; it is one count.
      .$castTo<{ count: bigint | string }>()
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.count) };
}
