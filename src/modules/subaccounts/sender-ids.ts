import { type Db, inTransaction } from '../../db/database.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { toE164 } from '../identity/phone.js';
import { SubaccountErrors } from './errors.js';
import { SenderIdStore } from './sender-id-store.js';

/**
 * A sender ID is either alphanumeric (3 to 11 letters, digits or spaces, at least one letter, as
 * carriers accept) or a phone number in E.164 form. Answers the canonical form, or why it is refused.
 */
export function parseSenderId(input: string): { senderId: string; kind: 'alphanumeric' | 'number' } {
  const text = input.trim();
  if (/^\+?[\d\s()-]+$/.test(text)) {
    const e164 = toE164(text.startsWith('+') ? text : `+${text}`);
    if (!e164)
      throw ValidationFailed(
        SubaccountErrors.invalidSenderId,
        `${text} is not a valid phone number; write it with its country code, such as +14155550123.`,
      );
    return { senderId: e164, kind: 'number' };
  }
  if (!/^[A-Za-z0-9 ]{3,11}$/.test(text) || !/[A-Za-z]/.test(text)) {
    throw ValidationFailed(
      SubaccountErrors.invalidSenderId,
      'An alphanumeric sender ID has 3 to 11 letters, digits or spaces, with at least one letter (such as ACME or Acme 24).',
    );
  }
  return { senderId: text, kind: 'alphanumeric' };
}

/** Each subaccount's whitelisted sender IDs. */
export class SenderIdService {
  private readonly store: SenderIdStore;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.store = new SenderIdStore(db);
  }

  list(subaccountId: string) {
    return this.store.list(subaccountId);
  }

  async add(actor: Actor, mainAccountId: string, subaccountId: string, input: string) {
    const { senderId, kind } = parseSenderId(input);
    return inTransaction(this.db, async () => {
      const existing = (await this.store.list(subaccountId)).some((row) => row.senderId === senderId);
      assertThat(
        !existing,
        Conflict(SubaccountErrors.senderIdExists, `${senderId} is already whitelisted for this subaccount.`),
      );
      const id = newId();
      await this.store.insert({ id, subaccount_id: subaccountId, sender_id: senderId, kind });
      await this.audit.record(actor, {
        action: 'subaccount.sender_id_added',
        accountId: mainAccountId,
        details: { subaccountId, senderId },
      });
      return { id, senderId, kind };
    });
  }

  async remove(actor: Actor, mainAccountId: string, subaccountId: string, id: string) {
    await inTransaction(this.db, async () => {
      const removed = await this.store.remove(subaccountId, id);
      assertThat(
        removed,
        NotFound(SubaccountErrors.senderIdNotFound, 'No such sender ID for this subaccount.'),
      );
      await this.audit.record(actor, {
        action: 'subaccount.sender_id_removed',
        accountId: mainAccountId,
        details: { subaccountId, senderId: removed.sender_id },
      });
    });
  }
}
