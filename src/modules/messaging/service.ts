import { type Db, inTransaction } from '../../db/database.js';
import type { MessageState } from '../../db/schema.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { destinationProblem, type OutboundPolicy, urlShapeProblem } from '../../lib/outbound.js';
import type { ApiScope } from '../accounts/scope.js';
import type { UsageCharging } from '../billing/usage.js';
import type { CreditControl } from '../credit-control/service.js';
import { MessageErrors, MessageRefusals } from './errors.js';
import { MessageIntake } from './intake.js';
import { segmentMessage } from './segments.js';
import { type MessageFilter, MessageStore, type MessageView, type NewMessage } from './store.js';

/** Usage records of the Message API carry this engine id (it is Switchboard's own engine, not a row of engines). */
export const MESSAGE_API_ENGINE_ID = '00000000-0000-0000-0000-00000000a001';
export const STATUS_CALLBACK_JOB = 'messages.status-callback';
/** The longest text a message may carry, as Plivo's limit. */
const MAX_TEXT = 1600;
const MAX_DESTINATIONS = 1000;
/** A message may be scheduled this far ahead at most. */
const MAX_SCHEDULE_DAYS = 365;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/;

/** A send as the API and the console take it: Plivo's parameters (strings or JSON types) and send_at. */
export interface SendInput {
  src?: string;
  dst?: string;
  text?: string;
  type?: string;
  url?: string;
  method?: string;
  log?: boolean | string;
  message_expiry?: number | string;
  send_at?: string;
  powerpack_uuid?: string;
}

/** Who sends: the account (or subaccount) the credentials belong to, and from where. */
export interface Sender {
  scope: ApiScope;
  ip: string | null;
}

export interface Sent {
  messageUuids: string[];
  invalidNumbers: string[];
  scheduledFor: Date | null;
}

export interface MessagingSettings {
  /** Seconds a message may wait in the queue when the request names no message_expiry. */
  expirySeconds: number;
  policy: OutboundPolicy;
}

const bool = (value: boolean | string | undefined, field: string): boolean | undefined => {
  if (value === undefined || typeof value === 'boolean') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw MessageRefusals.invalid(field, `must be true or false, not "${value}"`);
};

const integer = (value: number | string | undefined, field: string, min: number, max: number) => {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max)
    throw MessageRefusals.invalid(field, `must be a whole number of seconds from ${min} to ${max}`);
  return number;
};

/** A destination's digits (a leading + dropped), or null when it is not a phone number. */
function destinationDigits(text: string): string | null {
  const digits = text.trim().replace(/^\+/, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? digits : null;
}

/**
 * The Message API: a send is checked (sender, text, destinations), rated per segment at each
 * destination's price, and its cost held from the account's free credit in one transaction with
 * the messages it queues, so two sends cannot spend the same credit and a refused send queues
 * nothing. The dispatcher (dispatcher.ts) takes the queue out at the account's message rate.
 */
export class Messaging {
  readonly store: MessageStore;
  readonly intake: MessageIntake;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly usage: Pick<UsageCharging, 'rateEvent'>,
    credit: Pick<CreditControl, 'lockRoom' | 'lockRooms' | 'store'>,
    jobs: Pick<Jobs, 'enqueueMany'>,
    private readonly settings: MessagingSettings,
    /** Called once a send is committed: the dispatcher looks at the queue at once. */
    private readonly queued: () => void,
  ) {
    this.store = new MessageStore(db);
    this.intake = new MessageIntake(db, credit, this.store, jobs);
  }

  async send(sender: Sender, input: SendInput): Promise<Sent> {
    assertThat(input.powerpack_uuid === undefined || input.powerpack_uuid === '', () =>
      MessageRefusals.invalid(
        'powerpack_uuid',
        'Powerpacks are not supported here: send from a number or sender ID with src',
      ),
    );
    const src = input.src?.trim() ?? '';
    assertThat(src !== '', () => MessageRefusals.invalid('src', 'give the number or sender ID to send from'));
    const type = (input.type ?? 'sms').trim().toLowerCase();
    assertThat(type === 'sms', () =>
      MessageRefusals.invalid(
        'type',
        type === 'mms'
          ? 'MMS is not supported yet: send type sms'
          : `"${input.type}" is not a message type; use sms`,
      ),
    );
    const text = input.text ?? '';
    assertThat(text.length > 0, () => MessageRefusals.invalid('text', 'give the text to send'));
    const segments = segmentMessage(text);
    assertThat(segments.characters <= MAX_TEXT, () =>
      MessageRefusals.invalid(
        'text',
        `is ${segments.characters} characters; a message has at most ${MAX_TEXT}`,
      ),
    );
    const method = (input.method ?? 'POST').trim().toUpperCase();
    assertThat(method === 'POST' || method === 'GET', () =>
      MessageRefusals.invalid('method', `must be GET or POST, not "${input.method}"`),
    );
    const callbackUrl = input.url?.trim() ? input.url.trim() : null;
    if (callbackUrl) {
      const problem =
        urlShapeProblem(callbackUrl) ?? (await destinationProblem(callbackUrl, this.settings.policy));
      assertThat(problem === null, () => MessageRefusals.invalid('url', problem as string));
    }
    const log = bool(input.log, 'log') ?? true;
    const expirySeconds =
      integer(input.message_expiry, 'message_expiry', 5, 259_200) ?? this.settings.expirySeconds;
    const now = this.clock.now();
    const sendAt = this.#sendAt(input.send_at, now);

    const callerAuthId = sender.scope.subaccount?.authId ?? sender.scope.mainAuthId;
    const kind = await this.store.senderKind(
      { accountId: sender.scope.mainAccountId, subaccountId: sender.scope.subaccount?.id ?? null },
      src,
    );
    assertThat(kind === 'number' || kind === 'sender_id', () =>
      MessageRefusals.invalid(
        'src',
        kind === 'number_without_sms'
          ? `${src} cannot send SMS: the number has no SMS capability`
          : `${src} is neither a number ${callerAuthId} rents nor a sender ID whitelisted for it (Messaging > Sender IDs)`,
      ),
    );
    const from = kind === 'number' ? src.replace(/^\+/, '') : src;

    const destinations = (input.dst ?? '')
      .split('<')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    assertThat(destinations.length > 0, () =>
      MessageRefusals.invalid('dst', 'give at least one destination number'),
    );
    assertThat(destinations.length <= MAX_DESTINATIONS, () =>
      MessageRefusals.invalid(
        'dst',
        `names ${destinations.length} destinations; at most ${MAX_DESTINATIONS} per request`,
      ),
    );
    const invalid: string[] = [];
    const reasons: string[] = [];
    const rows: NewMessage[] = [];
    for (const destination of destinations) {
      const digits = destinationDigits(destination);
      if (!digits || digits === from) {
        invalid.push(destination);
        reasons.push(`${destination} is not a phone number with its country code`);
        continue;
      }
      const id = newId();
      const rated = await this.usage.rateEvent(MESSAGE_API_ENGINE_ID, {
        id,
        account: callerAuthId,
        product: 'sms',
        direction: 'outbound',
        from,
        to: digits,
        quantity: segments.units,
        started_at: now.toISOString(),
      });
      if ('outcome' in rated) {
        invalid.push(destination);
        reasons.push(`${destination} cannot be messaged: there is no SMS price for it`);
        continue;
      }
      const { draft } = rated;
      rows.push({
        id,
        account_id: sender.scope.mainAccountId,
        subaccount_id: sender.scope.subaccount?.id ?? null,
        direction: 'outbound',
        message_type: 'sms',
        from_number: from,
        to_number: digits,
        body: text,
        log,
        encoding: segments.encoding,
        units: segments.units,
        currency: draft.currency,
        country_iso: draft.countryIso,
        prefix: draft.prefix,
        rate_micros: draft.rateMicros,
        amount_micros: draft.amountMicros,
        held_micros: sendAt ? 0n : draft.amountMicros,
        state: sendAt ? 'scheduled' : 'queued',
        error_code: null,
        held_reason: null,
        callback_url: callbackUrl,
        callback_method: method as 'GET' | 'POST',
        expiry_seconds: expirySeconds,
        send_at: sendAt,
        send_after: sendAt ?? now,
        expires_at: new Date((sendAt ?? now).getTime() + expirySeconds * 1000),
        requester_ip: sender.ip,
        created_at: now,
        updated_at: now,
      });
    }
    if (rows.length === 0)
      throw ValidationFailed(
        MessageErrors.noValidDestination,
        `No message was queued: ${reasons.join('; ')}.`,
        [{ field: 'dst', message: reasons.join('; ') }],
      );

    await this.intake.queue({
      owner: { accountId: sender.scope.mainAccountId, subaccountId: sender.scope.subaccount?.id ?? null },
      rows,
      scheduled: sendAt !== null,
      // A scheduled message's first callback is `queued`, when its time comes: Plivo has no `scheduled` status.
      callback: callbackUrl !== null && sendAt === null,
    });
    if (!sendAt) this.queued();
    return { messageUuids: rows.map((row) => row.id), invalidNumbers: invalid, scheduledFor: sendAt };
  }

  /** A message within what the caller may see, or 404. */
  async get(scope: ApiScope, uuid: string): Promise<MessageView> {
    const found = /^[0-9a-f-]{36}$/i.test(uuid)
      ? await this.store.find(scope, uuid.toLowerCase())
      : undefined;
    assertThat(found, () => MessageRefusals.notFound(uuid));
    return found;
  }

  list(scope: ApiScope, filter: MessageFilter, page: { limit: number; offset: number }) {
    return this.store.page(scope, filter, page);
  }

  /** The states a message went through, oldest first. */
  timeline(messageId: string) {
    return this.store.timeline(messageId);
  }

  /** Cancels a scheduled message (it holds no credit): it will not be sent. */
  async cancel(scope: ApiScope, uuid: string): Promise<void> {
    const message = await this.get(scope, uuid);
    await inTransaction(this.db, async () => {
      const locked = await this.store.byId(message.id, true);
      assertThat(locked?.state === 'scheduled', () =>
        Conflict(
          MessageErrors.notScheduled,
          `Message ${uuid} is ${locked?.state ?? 'gone'}: only a scheduled message can be canceled.`,
        ),
      );
      const now = this.clock.now();
      await this.store.update(
        message.id,
        { state: 'canceled', updated_at: now },
        { state: 'canceled', detail: 'canceled before it was due', at: now },
      );
    });
  }

  #sendAt(text: string | undefined, now: Date): Date | null {
    if (text === undefined || text.trim() === '') return null;
    const at = Date.parse(text.trim());
    assertThat(ISO_TIME.test(text.trim()) && Number.isFinite(at), () =>
      MessageRefusals.invalid(
        'send_at',
        `"${text}" is not an ISO 8601 time with a zone, such as 2027-01-15T09:30:00Z`,
      ),
    );
    assertThat(at <= now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000, () =>
      MessageRefusals.invalid('send_at', `is more than ${MAX_SCHEDULE_DAYS} days ahead`),
    );
    return at > now.getTime() ? new Date(at) : null;
  }
}

/** Plivo's message_state filter values, and Switchboard's own (scheduled, canceled). */
export const MESSAGE_STATES: readonly MessageState[] = [
  'scheduled',
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'received',
];
