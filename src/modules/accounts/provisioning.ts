import { inTransaction } from '../../db/database.js';
import { assertThat, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/secrets.js';
import { messages } from '../../notify/messages.js';
import type { Actor } from '../audit/audit.js';
import type { IdentityDeps } from '../identity/deps.js';
import { hashPassword } from '../identity/passwords.js';
import { normaliseEmail, workEmailProblem } from '../identity/work-email.js';
import { AccountErrors } from './errors.js';

const SETUP_LINK_MINUTES = 72 * 60;

/**
 * Operators provision accounts without the console (`switchboard accounts create`). The owner is
 * an existing user with that email, or a new user who sets a password from an emailed link and
 * then verifies a phone like anyone else. With `activate` the account is active at once.
 */
export class AccountProvisioning {
  constructor(private readonly deps: IdentityDeps) {}

  async create(actor: Actor, input: { email: string; name: string; activate: boolean }) {
    const email = normaliseEmail(input.email);
    const problem = workEmailProblem(email);
    assertThat(!problem, () => ValidationFailed(AccountErrors.workEmailRequired, problem?.message ?? ''));
    const name = input.name.trim();
    assertThat(
      name.length > 0 && name.length <= 100,
      ValidationFailed(AccountErrors.invalidName, 'Give the account a name (up to 100 characters).'),
    );
    const { store, accounts, credentials, flows, outbox, audit, clock, config } = this.deps;
    const placeholderHash = await hashPassword(randomToken());
    return inTransaction(this.deps.db, async () => {
      let owner = await store.userByEmail(email);
      if (!owner) {
        const userId = newId();
        await store.insertUser({ id: userId, email, name, password_hash: placeholderHash });
        await store.updateUser(userId, { email_verified_at: clock.now() });
        owner = await store.userById(userId);
        const { token } = await flows.startLink('password_reset', { userId }, SETUP_LINK_MINUTES);
        await outbox.enqueue({
          channel: 'email',
          to: email,
          ...messages.accountProvisioned(name, `${config.publicUrl}/reset-password?token=${token}`),
        });
      }
      const accountId = await accounts.createPendingAccount(name, actor.ip);
      await store.insertMembership(accountId, owner.id, 'owner');
      if (input.activate)
        await accounts.lifecycle.transition(actor, accountId, {
          to: 'active',
          by: 'staff',
          reason: 'Provisioned active by the operator.',
        });
      const issued = await credentials.issue(accountId, null);
      const account = await accounts.view(accountId);
      await audit.record(actor, {
        action: 'account.provisioned',
        accountId,
        userId: owner.id,
        details: { email, activated: input.activate },
      });
      return { accountId, authId: account.authId, authToken: issued.token, status: account.status };
    });
  }
}
