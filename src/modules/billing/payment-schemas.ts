import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp } from '../../http/console-schemas.js';

/**
 * Schemas of Billing > Payment Settings: saved cards, recharge and the payments made. Like every
 * schemas.ts this file imports only TypeBox: the console imports its types. Money crosses the wire
 * as micro-units in a string with its currency.
 */

const Micros = (description: string) => Type.String({ pattern: '^-?[0-9]+$', description });

export const PaymentMethod = Type.Object({
  id: Type.String(),
  brand: Type.String(),
  last4: Type.String(),
  expMonth: Type.Integer(),
  expYear: Type.Integer(),
  createdAt: Timestamp(),
});
export type PaymentMethod = Static<typeof PaymentMethod>;

export const TestCard = Type.Object({
  number: Type.String(),
  brand: Type.String(),
  behaviour: Type.String({ description: 'what the test gateway does when the card is charged' }),
});

export const PaymentSettings = Type.Object({
  gateway: Type.Union([Type.Literal('test'), Type.Literal('stripe'), Type.Literal('none')]),
  currency: Type.String(),
  rechargeMinMicros: Micros('the smallest recharge'),
  rechargeMaxMicros: Micros('the largest recharge'),
  methods: Type.Array(PaymentMethod),
  testCards: Type.Array(TestCard, { description: 'the test gateway only: its card numbers' }),
});
export type PaymentSettings = Static<typeof PaymentSettings>;

export const CardSetup = Type.Union([
  Type.Object({ gateway: Type.Literal('test'), customerRef: Type.String() }),
  Type.Object({
    gateway: Type.Literal('stripe'),
    clientSecret: Type.String(),
    publishableKey: Type.String(),
  }),
]);

export const AddCard = Type.Object({
  proof: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "the gateway's answer: the test gateway's card token, or a Stripe SetupIntent id",
  }),
});

export const MethodParams = Type.Object({ methodId: Type.String({ format: 'uuid' }) });
export const PaymentParams = Type.Object({ paymentId: Type.String({ format: 'uuid' }) });

export const Recharge = Type.Object({
  amount: Type.String({ maxLength: 20, description: 'in the account currency, e.g. "50.00"' }),
  paymentMethodId: Type.String({ format: 'uuid' }),
  requestKey: Type.String({
    minLength: 8,
    maxLength: 100,
    description: 'one per recharge the person asked for: sending it again answers the same payment',
  }),
});

export const PaymentView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  purpose: Type.Union([Type.Literal('recharge'), Type.Literal('auto_recharge')]),
  amountMicros: Micros('the amount paid'),
  currency: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('requires_action'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('refused'),
  ]),
  failureReason: Nullable(Type.String()),
  actionUrl: Nullable(
    Type.String({ description: 'where the payer confirms the payment (status requires_action)' }),
  ),
  clientSecret: Nullable(
    Type.String({ description: 'Stripe: what Stripe.js needs to finish the confirmation' }),
  ),
  card: Nullable(Type.String({ description: 'e.g. "Visa •••• 4242"' })),
  creditedAt: Nullable(Timestamp()),
  reversedAt: Nullable(Timestamp()),
  reversalReason: Nullable(Type.String()),
  createdAt: Timestamp(),
});
export type PaymentView = Static<typeof PaymentView>;

export const Payments = Type.Object({ payments: Type.Array(PaymentView) });
export type Payments = Static<typeof Payments>;
