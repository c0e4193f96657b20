import { plivoTime } from '../../http/plivo-list.js';
import { formatMoney } from '../../lib/money.js';
import type { MessageRow, MessageView } from './store.js';

/** The state the API shows: a message a dispatcher has claimed is still `queued` to its sender. */
export const shownState = (state: MessageRow['state']) => (state === 'sending' ? 'queued' : state);

/** What the message cost: its rate per segment, and the total once it was sent (nothing if it failed or never left). */
export function chargedAmount(message: Pick<MessageRow, 'state' | 'amount_micros'>): bigint {
  return ['sent', 'delivered', 'undelivered', 'received'].includes(message.state)
    ? BigInt(message.amount_micros)
    : 0n;
}

/** A message as Plivo's Get Message answers it (without api_id). */
export function messageObject(authId: string, message: MessageView) {
  return {
    error_code: message.error_code === null ? null : String(message.error_code),
    error_message: '',
    from_number: message.from_number,
    message_direction: message.direction,
    message_state: shownState(message.state),
    message_time: plivoTime(message.created_at),
    message_sent_time: message.sent_at ? plivoTime(message.sent_at) : null,
    message_updated_time: plivoTime(message.updated_at),
    message_type: message.message_type,
    message_uuid: message.id,
    resource_uri: `/v1/Account/${authId}/Message/${message.id}/`,
    to_number: message.to_number,
    total_amount: formatMoney(chargedAmount(message)),
    total_rate: formatMoney(BigInt(message.rate_micros)),
    units: message.units,
    destination_country_iso2: message.country_iso,
    requester_ip: message.requester_ip ?? '',
    is_domestic: false,
    log: message.log,
    subaccount: message.subaccount_auth_id,
    send_at: message.send_at ? plivoTime(message.send_at) : null,
  };
}
