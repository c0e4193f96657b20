import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/support/pdf-text.js';
import { money } from '../../lib/money.js';
import {
  documentMoney,
  type InvoiceFacts,
  type ReceiptFacts,
  renderInvoice,
  renderReceipt,
} from './documents.js';

const receipt: ReceiptFacts = {
  operatorName: 'Acme Telecom',
  receiptNumber: 'RCT-000042',
  accountName: 'Globex',
  authId: 'MAABCDEFGHIJKLMNOPQR',
  paidAt: new Date('2026-11-03T14:18:00Z'),
  timeZone: 'Asia/Kolkata',
  amount: money(25_000_000n, 'USD'),
  paymentMethod: 'Test card •••• 4242',
  gatewayPaymentId: 'tg_pay_123',
  newBalance: money(37_500_000n, 'USD'),
};

const invoice: InvoiceFacts = {
  operatorName: 'Acme Telecom',
  number: 'INV-000007',
  issuedAt: new Date('2026-12-01T01:00:00Z'),
  accountName: 'Globex',
  authId: 'MAABCDEFGHIJKLMNOPQR',
  timeZone: 'America/New_York',
  period: '2026-11',
  start: new Date('2026-11-01T04:00:00Z'),
  end: new Date('2026-12-01T05:00:00Z'),
  currency: 'USD',
  opening: money(10_000_000n, 'USD'),
  activity: [
    { kind: 'recharge', entries: 1, amount: money(25_000_000n, 'USD') },
    { kind: 'charge', entries: 4, amount: money(-1_234_500n, 'USD') },
  ],
  closing: money(33_765_500n, 'USD'),
  usage: [
    {
      subaccount: null,
      product: 'SMS',
      events: 3n,
      quantity: '3 segments',
      amount: money(1_200_000n, 'USD'),
    },
    {
      subaccount: { name: 'Globex EU', authId: 'SAABCDEFGHIJKLMNOPQR' },
      product: 'Voice',
      events: 1n,
      quantity: '60 seconds',
      amount: money(34_500n, 'USD'),
    },
  ],
  usageChargedOutsideItsMonth: money(0n, 'USD'),
  rentals: [],
  entries: [
    {
      at: new Date('2026-11-03T14:18:00Z'),
      kind: 'recharge',
      description: 'Test card •••• 4242',
      amount: money(25_000_000n, 'USD'),
    },
  ],
};

describe('the receipt', () => {
  it('is a PDF that shows the amount paid, the method, the payment id and the balance after it', async () => {
    const pdf = await renderReceipt(receipt, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Receipt RCT-000042');
    expect(text).toContain('$25.00');
    expect(text).toContain('Test card •••• 4242');
    expect(text).toContain('tg_pay_123');
    expect(text).toContain('$37.50');
    expect(text).toContain('3 November 2026, 19:48 Asia/Kolkata (UTC+5:30)');
  });

  it('renders the same facts to the same bytes, and stays small', async () => {
    const [first, second] = await Promise.all([renderReceipt(receipt), renderReceipt(receipt)]);
    expect(first.equals(second)).toBe(true);
    expect(first.length).toBeLessThan(10_000);
  });
});

describe('the invoice', () => {
  it('shows the number, the period in the account’s zone, the balances, usage and entries', async () => {
    const text = pdfText(await renderInvoice(invoice, { compress: false }));
    expect(text).toContain('Invoice INV-000007');
    expect(text).toContain('November 2026 (America/New_York)');
    for (const shown of ['Opening balance', '$10.00', 'Recharges', '$25.00', 'Usage', '-$1.2345'])
      expect(text).toContain(shown);
    expect(text).toContain('Closing balance');
    expect(text).toContain('$33.7655');
    expect(text).toContain('Globex EU (SAABCDEFGHIJKLMNOPQR)');
    expect(text).toContain('3 segments');
    expect(text).toContain('No number rentals in this month');
    expect(text).toContain('3 November 2026 Recharge Test card •••• 4242 $25.00');
  });

  it('starts new pages for long tables and stays small', async () => {
    const many = {
      ...invoice,
      entries: Array.from({ length: 150 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 10, 1 + (i % 28), 12)),
        kind: 'adjustment' as const,
        description: `Goodwill credit ${i}`,
        amount: money(1_000_000n, 'USD'),
      })),
    };
    const pdf = await renderInvoice(many);
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThan(2);
    expect(pdf.length).toBeLessThan(40_000);
    expect(pdfText(await renderInvoice(many, { compress: false }))).toContain('Goodwill credit 149');
  });

  it('names a currency by its code when the standard font cannot draw its symbol', () => {
    expect(documentMoney(money(12_500_000n, 'USD'))).toBe('$12.50');
    expect(documentMoney(money(12_500_000n, 'EUR'))).toBe('€12.50');
    expect(documentMoney(money(12_500_000n, 'INR'))).toBe('INR 12.50');
  });
});
