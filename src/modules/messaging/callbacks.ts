import { Type } from '@sinclair/typebox';
import { type Db, executor } from '../../db/database.js';
import { plivoTime } from '../../http/plivo-list.js';
import { defineJob } from '../../jobs/definition.js';
import { formatMoney } from '../../lib/money.js';
import { type OutboundPolicy, sendForm } from '../../lib/outbound.js';
import {
  newSignatureNonce,
  SIGNATURE_V3_HEADER,
  SIGNATURE_V3_NONCE_HEADER,
  signatureV3,
} from '../../lib/plivo-signature.js';
import type { SecretBox } from '../../lib/secrets.js';
import { INBOUND_CALLBACK_JOB } from './dispatcher.js';
import { chargedAmount, shownState } from './plivo-format.js';
import { STATUS_CALLBACK_JOB } from './service.js';
import type { MessageRow, MessageStore } from './store.js';

export interface CallbackDeps {
  db: Db;
  store: MessageStore;
  secrets: SecretBox;
  policy: OutboundPolicy;
}

/** Retried while the receiver is unreachable or answers anything but 2xx: 8 attempts, 10 s doubling (about 40 minutes). */
const RETRY = { limit: 8, backoffSeconds: 10 };

/**
 * Sends Plivo's fields to a URL the customer gave, form-encoded (POST) or in the query (GET), signed
 * as Plivo signs (X-Plivo-Signature-V3 and its nonce) with each live Auth Token of the account the
 * message belongs to (its subaccount's, else its main account's): during a token rotation the
 * header carries one signature per token, comma-separated, as the SDK's validator accepts.
 */
async function deliver(
  deps: CallbackDeps,
  owner: Pick<MessageRow, 'account_id' | 'subaccount_id'>,
  url: string,
  method: 'GET' | 'POST',
  fields: Record<string, string>,
): Promise<void> {
  const tokens = await executor(deps.db)
    .selectFrom('auth_tokens')
    .select('token_encrypted')
    .where('account_id', '=', owner.subaccount_id ?? owner.account_id)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  const nonce = newSignatureNonce();
  const target = new URL(url);
  if (method === 'GET') {
    const query = new URLSearchParams(fields).toString();
    target.search = target.search ? `${target.search}&${query}` : `?${query}`;
  }
  const signatures = tokens.map((token) =>
    signatureV3({
      method,
      url: method === 'GET' ? target.toString() : url,
      params: method === 'GET' ? {} : fields,
      authToken: deps.secrets.decrypt(token.token_encrypted),
      nonce,
    }),
  );
  const status = await sendForm(
    url,
    method,
    fields,
    {
      [SIGNATURE_V3_HEADER]: signatures.join(','),
      [SIGNATURE_V3_NONCE_HEADER]: nonce,
    },
    deps.policy,
  );
  if (status < 200 || status > 299) throw new Error(`the callback URL answered ${status}`);
}

/**
 * A message's status callback: Plivo's fields for the state it reached. The job runs after that
 * change, perhaps after later ones (a retried callback), so the fields are those of `status`, not
 * of the message now: a `queued` callback carries no SentTime even when it goes out once the
 * message was sent.
 */
export function statusCallbackFields(message: MessageRow, status: string): Record<string, string> {
  const final = status === 'failed' || status === 'undelivered';
  const reported = status === 'delivered' || status === 'undelivered';
  return {
    MessageUUID: message.id,
    From: message.from_number,
    To: message.to_number,
    Type: message.message_type,
    Status: shownState(status as MessageRow['state']),
    Units: String(message.units),
    TotalRate: formatMoney(BigInt(message.rate_micros)),
    TotalAmount: formatMoney(
      status === 'failed' ? 0n : chargedAmount({ ...message, state: status as MessageRow['state'] }),
    ),
    ErrorCode: final && message.error_code !== null ? String(message.error_code) : '',
    MessageTime: plivoTime(message.created_at),
    ...(message.sent_at && (status === 'sent' || reported) ? { SentTime: plivoTime(message.sent_at) } : {}),
    ...(reported ? { DeliveryReportTime: plivoTime(message.updated_at) } : {}),
  };
}

export function statusCallbackJob(deps: CallbackDeps) {
  return defineJob({
    name: STATUS_CALLBACK_JOB,
    payload: Type.Object({ messageId: Type.String(), status: Type.String() }),
    retry: RETRY,
    handle: async ({ messageId, status }) => {
      const message = await deps.store.byId(messageId);
      if (!message?.callback_url) return;
      await deliver(
        deps,
        message,
        message.callback_url,
        message.callback_method,
        statusCallbackFields(message, status),
      );
    },
  });
}

/** An inbound message posted to the message_url of the number's application: From, To, Type, Text, MessageUUID. */
export function inboundCallbackJob(deps: CallbackDeps) {
  return defineJob({
    name: INBOUND_CALLBACK_JOB,
    payload: Type.Object({ messageId: Type.String() }),
    retry: RETRY,
    handle: async ({ messageId }) => {
      const message = await deps.store.byId(messageId);
      if (!message) return;
      const route = await deps.store.inboundRoute(message.to_number);
      if (!route?.message_url) return;
      const method = route.message_method?.toUpperCase() === 'GET' ? 'GET' : 'POST';
      await deliver(deps, message, route.message_url, method, {
        From: message.from_number,
        To: message.to_number,
        Type: message.message_type,
        Text: message.body,
        MessageUUID: message.id,
        Units: String(message.units),
        TotalRate: formatMoney(BigInt(message.rate_micros)),
        TotalAmount: formatMoney(BigInt(message.amount_micros)),
      });
    },
  });
}
