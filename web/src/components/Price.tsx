import { displayMoney, parseMoney } from '../../../src/lib/money';
import { useSession } from '../session';

/**
 * An amount as the API renders it ("0.80000"), shown in the signed-in account's currency and the
 * reader's locale ("$0.80"), by the same module that formats money on the server.
 */
export function Price({ amount }: { amount: string }) {
  const currency = useSession().data?.account?.currency;
  const micros = parseMoney(amount);
  if (!currency || micros === null) return amount;
  return displayMoney({ micros, currency });
}
