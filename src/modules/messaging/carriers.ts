import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Outbox } from '../../notify/outbox.js';
import type { DeliveryReceipt } from './receipts.js';
import { type InboundSms, type OutgoingSms, type SmscConnection, SmscError } from './smsc.js';

type Handler<T> = (value: T) => void | Promise<void>;

/**
 * Where customer messages leave: the operator's SMSC (SmscConnection), or in development the
 * outbox with a simulated receipt. A carrier takes a message's parts and answers the carrier's id
 * of each; receipts and inbound messages come back through the handlers.
 */
export interface MessageCarrier {
  submit(message: OutgoingSms): Promise<string[]>;
  onReceipt(handler: Handler<DeliveryReceipt>): void;
  onInbound(handler: Handler<InboundSms>): void;
  close(): Promise<void>;
}

export const SIMULATED_RECEIPT_JOB = 'messages.simulated-receipt';
/** How long the development carrier takes to "deliver" a message. */
const SIMULATED_DELIVERY_SECONDS = 2;

/**
 * Development's carrier: nothing leaves. Each message is written to the development outbox
 * (/dev/outbox shows it) and a delivery receipt follows a moment later through the jobs runner, so a
 * newcomer sees a message go queued → sent → delivered and its callbacks fire.
 */
export class OutboxCarrier implements MessageCarrier {
  readonly #receiptHandlers: Handler<DeliveryReceipt>[] = [];

  constructor(
    private readonly outbox: Pick<Outbox, 'enqueue'>,
    private readonly jobs: Pick<Jobs, 'enqueue'>,
    private readonly clock: Clock,
  ) {}

  async submit(message: OutgoingSms): Promise<string[]> {
    const ids = message.parts.map(() => `dev-${newId()}`);
    await this.outbox.enqueue({
      channel: 'sms',
      to: `+${message.to.replace(/^\+/, '')}`,
      subject: `SMS from ${message.from}`,
      text: message.parts.join(''),
    });
    const runAt = new Date(this.clock.now().getTime() + SIMULATED_DELIVERY_SECONDS * 1000);
    for (const id of ids) await this.jobs.enqueue(SIMULATED_RECEIPT_JOB, { carrierMessageId: id }, { runAt });
    return ids;
  }

  onReceipt(handler: Handler<DeliveryReceipt>): void {
    this.#receiptHandlers.push(handler);
  }

  onInbound(): void {}

  /** The simulated receipt's job: every part is delivered. */
  job() {
    return defineJob({
      name: SIMULATED_RECEIPT_JOB,
      payload: Type.Object({ carrierMessageId: Type.String() }),
      handle: async ({ carrierMessageId }) => {
        for (const handler of this.#receiptHandlers)
          await handler({ smscMessageId: carrierMessageId, state: 'delivered', errorCode: '000' });
      },
    });
  }

  async close(): Promise<void> {}
}

/** Production without an SMSC: every submit is refused, so messages fail (uncharged) with a reason. */
export class NoCarrier implements MessageCarrier {
  async submit(): Promise<string[]> {
    throw new Error('No SMSC is configured (SMSC_URL): messages cannot leave this Switchboard.');
  }
  onReceipt(): void {}
  onInbound(): void {}
  async close(): Promise<void> {}
}

/**
 * The operator's SMSC, connected when the server starts (not when the CLI opens the system): until
 * then a submit fails as unreachable and the message waits in the queue.
 */
export class LazyCarrier implements MessageCarrier {
  #connection: SmscConnection | undefined;
  readonly #receiptHandlers: Handler<DeliveryReceipt>[] = [];
  readonly #inboundHandlers: Handler<InboundSms>[] = [];

  connect(connection: SmscConnection): void {
    this.#connection = connection;
    for (const handler of this.#receiptHandlers) connection.onReceipt(handler);
    for (const handler of this.#inboundHandlers) connection.onInbound(handler);
  }

  submit(message: OutgoingSms): Promise<string[]> {
    if (!this.#connection)
      return Promise.reject(new SmscError('unreachable', 'The SMSC is not connected yet'));
    return this.#connection.submit(message);
  }

  onReceipt(handler: Handler<DeliveryReceipt>): void {
    this.#receiptHandlers.push(handler);
    this.#connection?.onReceipt(handler);
  }

  onInbound(handler: Handler<InboundSms>): void {
    this.#inboundHandlers.push(handler);
    this.#connection?.onInbound(handler);
  }

  async close(): Promise<void> {
    await this.#connection?.close();
  }
}
