/**
 * Delivery receipts from an SMSC and what they mean for a Plivo message.
 *
 * An SMSC reports the fate of a submitted message in a deliver_sm whose esm_class says "delivery
 * receipt". SMPP 3.4 Appendix B gives the receipt's text ("id:… sub:… dlvrd:… submit date:… done
 * date:… stat:DELIVRD err:… text:…"); §5.3.2.12 and §5.3.2.35 add the receipted_message_id and
 * message_state TLVs. SMSCs send one or both, so both are read and the TLVs win when present (the
 * text's id is sometimes written in another base than the id the submit_sm_resp gave).
 */

/** Where the SMSC says the message is, in SMPP's words (message_state values 1–9). */
export type ReceiptState =
  | 'enroute'
  | 'delivered'
  | 'expired'
  | 'deleted'
  | 'undelivered'
  | 'accepted'
  | 'unknown'
  | 'rejected'
  | 'skipped';

export type DeliveryReceipt = {
  /** The id the SMSC gave the part in its submit_sm_resp. */
  smscMessageId: string;
  state: ReceiptState;
  /** The receipt's `err:` field: the network's own error code (three characters, often "000"); null when absent. */
  errorCode: string | null;
};

/** SMPP 3.4 §5.2.28 message_state. */
const STATE_BY_NUMBER: Record<number, ReceiptState> = {
  1: 'enroute',
  2: 'delivered',
  3: 'expired',
  4: 'deleted',
  5: 'undelivered',
  6: 'accepted',
  7: 'unknown',
  8: 'rejected',
  9: 'skipped',
};

/** SMPP 3.4 Appendix B, the `stat:` field of the receipt text. */
const STATE_BY_STAT: Record<string, ReceiptState> = {
  ENROUTE: 'enroute',
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undelivered',
  ACCEPTD: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
};

const field = (text: string, name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1];

/**
 * The receipt a deliver_sm carries, from its TLVs and its text; null when it names no message or
 * no state it could be matched with.
 */
export function receiptOf(source: {
  text: string;
  receiptedMessageId?: string;
  messageState?: number;
}): DeliveryReceipt | null {
  const smscMessageId = source.receiptedMessageId || field(source.text, 'id');
  const stat = field(source.text, 'stat')?.toUpperCase();
  const state =
    (source.messageState === undefined ? undefined : STATE_BY_NUMBER[source.messageState]) ??
    (stat === undefined ? undefined : STATE_BY_STAT[stat]);
  if (!smscMessageId || !state) return null;
  return { smscMessageId, state, errorCode: field(source.text, 'err') || null };
}

/** Plivo's outbound message_state values that a receipt can lead to. */
export type PlivoMessageState = 'sent' | 'delivered' | 'undelivered';

/**
 * Plivo's message_state and error_code for a receipt.
 *
 * Plivo's states (docs "messaging/api/messages"): every message starts `queued`; `sent` once handed
 * to the carrier; `delivered` or `undelivered` from the carrier's report; `failed` when it never
 * reached the carrier. A receipt only exists for a message the SMSC accepted (its submit_sm_resp
 * was ESME_ROK), so a receipt never makes a message `failed`: that state belongs to the Message
 * API (submit refused, no credit: 900). An SMSC's "rejected" is a carrier refusing a message it
 * had already taken, hence `undelivered`.
 *
 * Error codes, from Plivo's list ("messaging/troubleshooting/error-codes"), only on `undelivered`
 * as Plivo's callbacks define ErrorCode "only for failed or undelivered":
 * - expired → 420 Message Expired (the carrier gave up within the validity period);
 * - rejected → 10 Invalid Message ("rejected by downstream carriers");
 * - undelivered, deleted, skipped, unknown → 1000 Unknown Error: SMPP names no reason a sender can
 *   act on; the network's own code stays in the receipt's errorCode for staff.
 * Code 10 is in our stored excerpt of that page; 420 and 1000 are from the same page's full list.
 *
 * Intermediate receipts (enroute, accepted) leave the message `sent`.
 */
export function plivoStateOf(receipt: DeliveryReceipt): {
  messageState: PlivoMessageState;
  errorCode: number | null;
} {
  switch (receipt.state) {
    case 'delivered':
      return { messageState: 'delivered', errorCode: null };
    case 'enroute':
    case 'accepted':
      return { messageState: 'sent', errorCode: null };
    case 'expired':
      return { messageState: 'undelivered', errorCode: 420 };
    case 'rejected':
      return { messageState: 'undelivered', errorCode: 10 };
    case 'undelivered':
    case 'deleted':
    case 'skipped':
    case 'unknown':
      return { messageState: 'undelivered', errorCode: 1000 };
  }
}
