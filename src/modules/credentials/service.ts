import { randomInt } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { CredentialErrors } from './errors.js';
import { CredentialStore } from './store.js';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const AUTH_TOKEN_LENGTH = 40;

/** An Auth Token: 40 random letters and digits (~238 bits). */
export function newAuthToken(): string {
  let token = '';
  for (let i = 0; i < AUTH_TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

export interface TokenView {
  id: string;
  last4: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Auth ID and Auth Token: the account's API credentials. Tokens are encrypted at rest and found by an HMAC digest. */
export class CredentialService {
  readonly store: CredentialStore;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly securityContacts: (accountId: string) => Promise<{ email: string; name: string }[]>,
    private readonly events: EventBus,
  ) {
    this.store = new CredentialStore(db);
  }

  /** Issues a new live token for the account (inside the caller's transaction); answers it in plain text once. */
  async issue(accountId: string, createdBy: string | null): Promise<{ id: string; token: string }> {
    const token = newAuthToken();
    const id = newId();
    await this.store.insert({
      id,
      account_id: accountId,
      token_encrypted: this.secrets.encrypt(token),
      token_digest: this.secrets.digest(token),
      created_by: createdBy,
    });
    return { id, token };
  }

  /** The newest live token in full (for the console's reveal/copy control) and the list of live tokens. */
  async view(accountId: string): Promise<{ authToken: string | null; tokens: TokenView[] }> {
    const live = await this.store.liveTokens(accountId);
    const tokens = live.map((row) => {
      const token = this.secrets.decrypt(row.token_encrypted);
      return {
        id: row.id,
        last4: token.slice(-4),
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        token,
      };
    });
    return {
      authToken: tokens[0]?.token ?? null,
      tokens: tokens.map(({ token: _token, ...rest }) => rest),
    };
  }

  /**
   * Generate Auth Token: a new token, keeping or revoking the old ones. Owner and admins get a
   * security notice; kept tokens stay valid until revoked.
   */
  async generate(actor: Actor, accountId: string, keepOldTokens: boolean) {
    return inTransaction(this.db, async () => {
      const old = await this.store.liveTokens(accountId);
      const issued = await this.issue(accountId, actor.userId ?? null);
      const revokedIds = keepOldTokens ? [] : old.map((t) => t.id);
      const revoked = await this.store.revoke(accountId, revokedIds, this.clock.now());
      await this.audit.record(actor, {
        action: 'credentials.token_generated',
        accountId,
        details: { tokenId: issued.id, keptOldTokens: keepOldTokens, revoked },
      });
      await this.sendNotice(
        accountId,
        keepOldTokens
          ? 'A new Auth Token was generated for your account. The previous token still works until it is revoked on Account > Settings > Credentials.'
          : 'A new Auth Token was generated for your account and the previous token was revoked. Integrations using the old token now fail: update them with the new token.',
      );
      if (revoked > 0) await this.events.publish('credential.revoked', { accountId, tokenIds: revokedIds });
      return issued;
    });
  }

  /**
   * "Secure my account": a new token for each account given (the main account first, then its
   * subaccounts if asked), every other token of theirs revoked; the caller sends the one notice.
   */
  async replaceAll(actor: Actor, accountIds: readonly string[]) {
    return inTransaction(this.db, async () => {
      const issued: { accountId: string; id: string; token: string; revoked: number }[] = [];
      for (const accountId of accountIds) {
        const old = await this.store.liveTokens(accountId);
        const token = await this.issue(accountId, actor.userId ?? null);
        const revoked = await this.store.revoke(
          accountId,
          old.map((t) => t.id),
          this.clock.now(),
        );
        await this.audit.record(actor, {
          action: 'credentials.token_generated',
          accountId,
          details: { tokenId: token.id, keptOldTokens: false, revoked, secureAccount: true },
        });
        if (old.length > 0)
          await this.events.publish('credential.revoked', { accountId, tokenIds: old.map((t) => t.id) });
        issued.push({ accountId, ...token, revoked });
      }
      return issued;
    });
  }

  /** Revokes one kept token; the last live token cannot be revoked (generate a new one instead). */
  async revoke(actor: Actor, accountId: string, tokenId: string) {
    await inTransaction(this.db, async () => {
      const live = await this.store.liveTokens(accountId);
      assertThat(
        live.some((t) => t.id === tokenId),
        CredentialErrors.tokenNotFound,
      );
      assertThat(live.length > 1, CredentialErrors.lastToken);
      await this.store.revoke(accountId, [tokenId], this.clock.now());
      await this.audit.record(actor, {
        action: 'credentials.token_revoked',
        accountId,
        details: { tokenId },
      });
      await this.sendNotice(
        accountId,
        'An Auth Token of your account was revoked. Requests using it are now refused.',
      );
      await this.events.publish('credential.revoked', { accountId, tokenIds: [tokenId] });
    });
  }

  private async sendNotice(accountId: string, text: string) {
    for (const contact of await this.securityContacts(accountId)) {
      await this.outbox.enqueue({
        channel: 'email',
        to: contact.email,
        ...messages.credentialsChanged(contact.name, text),
      });
    }
  }
}
