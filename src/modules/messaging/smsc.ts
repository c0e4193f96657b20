import type { Pdu, Session } from 'smpp';
import { type DeliveryReceipt, receiptOf } from './receipts.js';
import type { MessageEncoding } from './segments.js';

/**
 * The connection customer messages leave through: one SMPP 3.4 transceiver session to the
 * operator's SMSC, which takes submit_sm and brings back delivery receipts and inbound messages on
 * the same session.
 *
 * - It binds when opened; a refused bind is an error at once, so a wrong SMSC_URL is seen at start.
 * - After a drop (the SMSC closes, unbinds or the network fails) it binds again every
 *   `rebindSeconds` until it succeeds or is closed; submits wait for the new session. Submits in
 *   flight when the session drops fail with `connection_lost`, and the caller retries the message.
 * - enquire_link every `enquireLinkSeconds` keeps idle sessions alive through NATs and lets the
 *   SMSC see a dead peer; the SMSC's own enquire_link is answered.
 * - Throughput: the operator's agreement with the SMSC caps submit_sm per second. The connection
 *   spaces its submit_sm at least 1/`submitsPerSecond` seconds apart (one part is one submit_sm),
 *   so a burst waits here rather than being refused with ESME_RTHROTTLED.
 */

export type SmscSettings = {
  /** smpp://system_id:password@host:port (ssmpp:// for TLS). */
  url: string;
  /** The most submit_sm the SMSC accepts per second on this connection. */
  submitsPerSecond: number;
  enquireLinkSeconds?: number;
  rebindSeconds?: number;
};

export type OutgoingSms = {
  /** A phone number (with or without +) or an alphanumeric sender ID. */
  from: string;
  to: string;
  /** The parts as segmentMessage cut them; each becomes one submit_sm. */
  parts: string[];
  encoding: MessageEncoding;
  /** Ask the SMSC for a final delivery receipt per part. */
  registeredDelivery: boolean;
};

export type InboundSms = { from: string; to: string; text: string };

export class SmscError extends Error {
  constructor(
    readonly code: 'unreachable' | 'bind_refused' | 'submit_refused' | 'connection_lost' | 'closed',
    message: string,
    /** The SMPP command_status the SMSC answered with, when it answered. */
    readonly commandStatus?: number,
  ) {
    super(message);
  }
}

const ESME_ROK = 0x00;
/** "Temporary application error": the SMSC keeps the deliver_sm and offers it again later. */
const ESME_RX_T_APPN = 0x64;
const DATA_CODING: Record<MessageEncoding, number> = { GSM: 0x00, UCS2: 0x08 };
const ESM_CLASS_UDHI = 0x40;
/** esm_class bits 2–5 give the message type: 0 a normal message, 0x04 a delivery receipt, 0x20 an intermediate notification. */
const ESM_CLASS_TYPE = 0x3c;
const MC_DELIVERY_RECEIPT = 0x04;
const INTERMEDIATE_DELIVERY = 0x20;
const REGISTERED_DELIVERY_FINAL = 0x01;
const TON_INTERNATIONAL = 0x01;
const TON_ALPHANUMERIC = 0x05;
const NPI_ISDN = 0x01;
const NPI_UNKNOWN = 0x00;

const status = (value: number) => `0x${value.toString(16).padStart(2, '0')}`;

/** A bound session and the submits waiting for its answers, failed together when it drops. */
type Bound = { session: Session; inFlight: Set<(error: SmscError) => void> };

type Handler<T> = (value: T) => void | Promise<void>;

export class SmscConnection {
  readonly #settings: Required<SmscSettings>;
  #bound: Promise<Bound>;
  #closed = false;
  #wakeRebind: (() => void) | undefined;
  #reference = Math.floor(Math.random() * 256);
  #nextSubmitAt = 0;
  readonly #receiptHandlers: Handler<DeliveryReceipt>[] = [];
  readonly #inboundHandlers: Handler<InboundSms>[] = [];

  private constructor(settings: SmscSettings) {
    this.#settings = { enquireLinkSeconds: 30, rebindSeconds: 5, ...settings };
    this.#bound = this.#bind();
  }

  /** Connects and binds as a transceiver; rejects with `bind_refused` or `unreachable`. */
  static async open(settings: SmscSettings): Promise<SmscConnection> {
    if (!(settings.submitsPerSecond > 0)) throw new RangeError('submitsPerSecond must be above 0');
    const connection = new SmscConnection(settings);
    await connection.#bound;
    return connection;
  }

  /** Hands each delivery receipt to `handler`; the SMSC is answered once it resolves (offered again if it throws). */
  onReceipt(handler: Handler<DeliveryReceipt>): void {
    this.#receiptHandlers.push(handler);
  }

  /** Hands each message a handset sent to one of our numbers to `handler`, answered the same way. */
  onInbound(handler: Handler<InboundSms>): void {
    this.#inboundHandlers.push(handler);
  }

  /**
   * Submits each part as one submit_sm, in order, and gives the SMSC's message id of each. Parts of
   * a concatenated message carry a user data header (IEI 0x00, one 8-bit reference shared by the
   * parts, their count and the part's number from 1) and esm_class UDHI.
   */
  async submit(message: OutgoingSms): Promise<string[]> {
    const reference = this.#nextReference();
    const ids: string[] = [];
    for (const [index, part] of message.parts.entries()) {
      await this.#pace();
      // Closed while this submit waited for its turn: the session it would use is gone.
      if (this.#closed) throw new SmscError('closed', 'The SMSC connection is closed');
      const bound = await this.#bound;
      const concatenated = message.parts.length > 1;
      ids.push(
        await this.#submitPart(bound, {
          ...sourceAddress(message.from),
          dest_addr_ton: TON_INTERNATIONAL,
          dest_addr_npi: NPI_ISDN,
          destination_addr: message.to.replace(/^\+/, ''),
          esm_class: concatenated ? ESM_CLASS_UDHI : 0,
          registered_delivery: message.registeredDelivery ? REGISTERED_DELIVERY_FINAL : 0,
          data_coding: DATA_CODING[message.encoding],
          // The smpp package encodes a string by data_coding: 0 → GSM 03.38 one septet per octet, 8 → UTF-16BE.
          short_message: concatenated
            ? {
                udh: Buffer.from([0x05, 0x00, 0x03, reference, message.parts.length, index + 1]),
                message: part,
              }
            : part,
        }),
      );
    }
    return ids;
  }

  /** Unbinds and stops binding again; submits waiting for a session fail with `closed`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeRebind?.();
    const bound = await this.#bound.catch(() => undefined);
    if (!bound) return;
    await new Promise<void>((resolve) => {
      bound.session.once('close', resolve);
      // unbind is written before the socket ends; the SMSC's unbind_resp is not waited for.
      bound.session.unbind();
      bound.session.close();
    });
  }

  async #bind(): Promise<Bound> {
    const { default: smpp } = await import('smpp');
    const url = new URL(this.#settings.url);
    const systemId = decodeURIComponent(url.username);
    return new Promise<Bound>((resolve, reject) => {
      const session = smpp.connect({
        url: `${url.protocol}//${url.host}`,
        auto_enquire_link_period: this.#settings.enquireLinkSeconds * 1000,
      });
      const bound: Bound = { session, inFlight: new Set() };
      let isBound = false;
      session.on('error', (error: Error) => {
        if (!isBound)
          reject(new SmscError('unreachable', `Could not reach the SMSC at ${url.host}: ${error.message}`));
      });
      session.on('close', () => {
        if (isBound) this.#dropped(bound);
        else
          reject(
            new SmscError('unreachable', `The SMSC at ${url.host} closed the connection before the bind`),
          );
      });
      session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: Pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('deliver_sm', (pdu: Pdu) => void this.#delivered(session, pdu));
      session.bind_transceiver({ system_id: systemId, password: decodeURIComponent(url.password) }, (pdu) => {
        if (pdu.command_status === ESME_ROK) {
          isBound = true;
          resolve(bound);
          return;
        }
        reject(
          new SmscError(
            'bind_refused',
            `The SMSC at ${url.host} refused the bind as "${systemId}" (status ${status(pdu.command_status)}): check the system_id and password of SMSC_URL`,
            pdu.command_status,
          ),
        );
        session.close();
      });
    });
  }

  #dropped(bound: Bound): void {
    for (const fail of bound.inFlight)
      fail(new SmscError('connection_lost', 'The SMSC connection dropped before it answered'));
    bound.inFlight.clear();
    if (this.#closed) return;
    this.#bound = this.#rebind();
    // Submits await #bound; until one does, a rejection after close() has nobody to tell.
    this.#bound.catch(() => undefined);
  }

  async #rebind(): Promise<Bound> {
    for (;;) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#settings.rebindSeconds * 1000);
        this.#wakeRebind = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeRebind = undefined;
      if (this.#closed) throw new SmscError('closed', 'The SMSC connection is closed');
      try {
        return await this.#bind();
      } catch {
        // Still away or still refusing: the next pause, then another bind.
      }
    }
  }

  #submitPart(bound: Bound, fields: Record<string, unknown>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      bound.inFlight.add(reject);
      bound.session.submit_sm(fields, (pdu) => {
        bound.inFlight.delete(reject);
        if (pdu.command_status === ESME_ROK) resolve(String(pdu.message_id));
        else
          reject(
            new SmscError(
              'submit_refused',
              `The SMSC refused the message (status ${status(pdu.command_status)})`,
              pdu.command_status,
            ),
          );
      });
    });
  }

  async #delivered(session: Session, pdu: Pdu): Promise<void> {
    let answer = ESME_ROK;
    try {
      const type = Number(pdu.esm_class ?? 0) & ESM_CLASS_TYPE;
      if (type === MC_DELIVERY_RECEIPT || type === INTERMEDIATE_DELIVERY) {
        const receipt = receiptOf({
          text: textOf(pdu),
          receiptedMessageId:
            typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
          messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
        });
        if (receipt) await handOver(this.#receiptHandlers, receipt);
      } else if (type === 0) {
        const inbound = {
          from: String(pdu.source_addr),
          to: String(pdu.destination_addr),
          text: textOf(pdu),
        };
        await handOver(this.#inboundHandlers, inbound);
      }
    } catch {
      answer = ESME_RX_T_APPN;
    }
    session.send(pdu.response({ command_status: answer }));
  }

  #nextReference(): number {
    this.#reference = (this.#reference + 1) % 256;
    return this.#reference;
  }

  async #pace(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#nextSubmitAt);
    this.#nextSubmitAt = at + 1000 / this.#settings.submitsPerSecond;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

/** Runs every handler; with none registered yet it throws, so the SMSC keeps the deliver_sm and offers it again. */
async function handOver<T>(handlers: Handler<T>[], value: T): Promise<void> {
  if (handlers.length === 0) throw new Error('Nothing takes this deliver_sm yet');
  for (const handler of handlers) await handler(value);
}

/** An alphanumeric sender ID goes as TON 5; a number as international E.164 without the +. */
function sourceAddress(from: string) {
  return /^\+?\d+$/.test(from)
    ? { source_addr_ton: TON_INTERNATIONAL, source_addr_npi: NPI_ISDN, source_addr: from.replace(/^\+/, '') }
    : { source_addr_ton: TON_ALPHANUMERIC, source_addr_npi: NPI_UNKNOWN, source_addr: from };
}

/** The text of a deliver_sm, which the smpp package has decoded by data_coding (in short_message or message_payload). */
function textOf(pdu: Pdu): string {
  for (const carrier of [pdu.message_payload, pdu.short_message]) {
    const message = (carrier as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return '';
}
