import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Config } from '../../config.js';
import { executor, inTransaction } from '../../db/database.js';
import type { PasskeyPurpose } from '../../db/schema.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/secrets.js';
import type { Client, IdentityDeps } from './deps.js';
import { takeSignInAttempt } from './deps.js';
import { IdentityErrors } from './errors.js';
import { type ChallengeBinding, type PasskeyRow, PasskeyStore, type PrincipalKind } from './passkey-store.js';

export type { PrincipalKind } from './passkey-store.js';

/** A ceremony's challenge lives as long as the browser waits for the authenticator. */
const CHALLENGE_SECONDS = 300;

/** The person a passkey belongs to: a user or a staff member, named as the authenticator shows them. */
export interface PasskeyOwner {
  kind: PrincipalKind;
  id: string;
  email: string;
  name: string;
}

/** A passkey as its owner sees it. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type PasskeyDeps = Pick<IdentityDeps, 'db' | 'clock' | 'secrets' | 'audit' | 'throttle'> & {
  config: Pick<Config, 'publicUrl'>;
};

const view = (row: PasskeyRow): PasskeyView => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/**
 * Passkeys (WebAuthn) for users and staff alike, the principal kind a parameter: enrolment, a
 * second factor, and a password-less sign-in. Every challenge is single use, expires after five
 * minutes and is bound to the session (or, before one exists, the browser) that asked for it; the
 * origin and relying party are the configured public URL's, exactly; an assertion must raise the
 * passkey's signature counter (a replayed or cloned one does not); a password-less assertion
 * needs user verification and the user handle the passkey was made for.
 */
export class Passkeys {
  private readonly store: PasskeyStore;
  private readonly origin: string;
  private readonly rpId: string;

  constructor(private readonly deps: PasskeyDeps) {
    this.store = new PasskeyStore(deps.db);
    const url = new URL(deps.config.publicUrl);
    this.origin = url.origin;
    this.rpId = url.hostname;
  }

  /** The owner's passkeys, oldest first. */
  async list(kind: PrincipalKind, ownerId: string): Promise<PasskeyView[]> {
    return (await this.store.ofOwner(kind, ownerId)).map(view);
  }

  /** Whether the owner has at least one passkey. */
  async has(kind: PrincipalKind, ownerId: string): Promise<boolean> {
    return (await this.store.ofOwner(kind, ownerId)).length > 0;
  }

  /** The WebAuthn user handle of an owner: stable, keyed by the server secret, naming nobody. */
  private userHandle(owner: { kind: PrincipalKind; id: string }): string {
    return this.deps.secrets.digest(`webauthn-user:${owner.kind}:${owner.id}`);
  }

  private async startChallenge(
    kind: PrincipalKind,
    purpose: PasskeyPurpose,
    binding: ChallengeBinding,
    challenge: string,
  ) {
    const now = this.deps.clock.now();
    await this.store.startChallenge({
      id: newId(),
      kind,
      purpose,
      binding,
      challenge,
      expiresAt: new Date(now.getTime() + CHALLENGE_SECONDS * 1000),
      now,
    });
  }

  /** Add a passkey, step 1: what the browser asks the authenticator to create (a discoverable credential). */
  async registrationOptions(
    owner: PasskeyOwner,
    sessionId: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.store.ofOwner(owner.kind, owner.id);
    const options = await generateRegistrationOptions({
      rpName: owner.kind === 'staff' ? 'Switchboard staff' : 'Switchboard',
      rpID: this.rpId,
      userName: owner.email,
      userDisplayName: owner.name,
      userID: Buffer.from(this.userHandle(owner), 'base64url'),
      attestationType: 'none',
      timeout: CHALLENGE_SECONDS * 1000,
      excludeCredentials: existing.map((row) => ({ id: row.credential_id, transports: row.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    await this.startChallenge(owner.kind, 'enrol', { sessionId }, options.challenge);
    return options;
  }

  /** Add a passkey, step 2: the authenticator's answer to this session's challenge; audited. */
  async register(
    owner: PasskeyOwner,
    sessionId: string,
    input: { name: string; credential: RegistrationResponseJSON },
    client: Client,
    alsoInTransaction: (passkey: PasskeyView) => Promise<void> = async () => {},
  ): Promise<PasskeyView> {
    const name = input.name.trim();
    assertThat(name.length >= 1 && name.length <= 60, IdentityErrors.invalidPasskeyName);
    const { clock, audit } = this.deps;
    const challenge = await this.store.consumeChallenge(owner.kind, 'enrol', { sessionId }, clock.now());
    assertThat(challenge, IdentityErrors.passkeyChallengeMissing);
    const verified = await verifyRegistrationResponse({
      response: input.credential,
      expectedChallenge: challenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      requireUserVerification: false,
    }).catch(() => ({ verified: false as const }));
    assertThat(verified.verified, IdentityErrors.passkeyNotCreated);
    const { credential } = verified.registrationInfo;
    const id = newId();
    return inTransaction(this.deps.db, async () => {
      const added = await this.store.insert({
        id,
        kind: owner.kind,
        ownerId: owner.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        userHandle: this.userHandle(owner),
        name,
      });
      assertThat(added, IdentityErrors.passkeyExists);
      await audit.record(actorOf(owner, client), {
        action: 'passkey.enrolled',
        details: { passkeyId: id, name },
      });
      const passkey = { id, name, createdAt: clock.now(), lastUsedAt: null };
      await alsoInTransaction(passkey);
      return passkey;
    });
  }

  async rename(owner: PasskeyOwner, id: string, rawName: string, client: Client): Promise<void> {
    const name = rawName.trim();
    assertThat(name.length >= 1 && name.length <= 60, IdentityErrors.invalidPasskeyName);
    await inTransaction(this.deps.db, async () => {
      assertThat(await this.store.rename(owner.kind, owner.id, id, name), IdentityErrors.passkeyNotFound);
      await this.deps.audit.record(actorOf(owner, client), {
        action: 'passkey.renamed',
        details: { passkeyId: id, name },
      });
    });
  }

  /**
   * Removes a passkey; audited. `otherFactor` says, under the owner's lock, whether a factor other
   * than passkeys is left: without one, the last passkey stays.
   */
  async remove(
    owner: PasskeyOwner,
    id: string,
    client: Client,
    otherFactor: () => Promise<boolean>,
    alsoInTransaction: (name: string) => Promise<void> = async () => {},
  ): Promise<void> {
    await inTransaction(this.deps.db, async () => {
      await this.store.lockOwner(owner.kind, owner.id);
      const remaining = (await this.store.ofOwner(owner.kind, owner.id)).filter((row) => row.id !== id);
      const removed = await this.store.remove(owner.kind, owner.id, id);
      assertThat(removed, IdentityErrors.passkeyNotFound);
      assertThat(remaining.length > 0 || (await otherFactor()), () =>
        IdentityErrors.lastFactor(
          'This passkey is your only second factor. Turn on phone codes or add an authenticator app before you remove it.',
        ),
      );
      await this.deps.audit.record(actorOf(owner, client), {
        action: 'passkey.removed',
        details: { passkeyId: id, name: removed.name },
      });
      await alsoInTransaction(removed.name);
    });
  }

  /** Passkey as a second factor, step 1: a challenge for the owner's own passkeys, bound to this session. */
  async secondFactorOptions(owner: { kind: PrincipalKind; id: string }, sessionId: string) {
    const existing = await this.store.ofOwner(owner.kind, owner.id);
    assertThat(existing.length > 0, IdentityErrors.passkeyNotSetUp);
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      allowCredentials: existing.map((row) => ({ id: row.credential_id, transports: row.transports })),
      userVerification: 'preferred',
      timeout: CHALLENGE_SECONDS * 1000,
    });
    await this.startChallenge(owner.kind, 'second_factor', { sessionId }, options.challenge);
    return options;
  }

  /**
   * Passkey as a second factor, step 2: the assertion must answer this session's challenge with
   * one of the owner's passkeys. The attempt is taken from the sign-in budgets before it is checked.
   */
  async verifySecondFactor(
    owner: PasskeyOwner,
    sessionId: string,
    credential: AuthenticationResponseJSON,
    client: Client,
  ): Promise<void> {
    const attempt = await takeSignInAttempt(this.deps.throttle, client, throttleKey(owner));
    const challenge = await this.store.consumeChallenge(
      owner.kind,
      'second_factor',
      { sessionId },
      this.deps.clock.now(),
    );
    const passkey = await this.store.byCredentialId(owner.kind, credential.id);
    const owned = passkey && ownerIdOf(passkey) === owner.id ? passkey : undefined;
    if (!challenge || !owned || !(await this.verifyAssertion(owned, credential, challenge, false))) {
      await this.deps.audit.record(actorOf(owner, client), {
        action: `${owner.kind}.authentication_failed`,
        details: { method: 'passkey' },
      });
      throw IdentityErrors.passkeyRefused();
    }
    await attempt.refund();
  }

  /**
   * Password-less sign-in, step 1: a challenge for any discoverable passkey, bound to a token the
   * browser keeps (answered here for its cookie); nothing about who may be signing in.
   */
  async signInOptions(kind: PrincipalKind) {
    const browserToken = randomToken();
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      userVerification: 'required',
      timeout: CHALLENGE_SECONDS * 1000,
    });
    await this.startChallenge(
      kind,
      'sign_in',
      { browserDigest: this.deps.secrets.digest(browserToken) },
      options.challenge,
    );
    return { options: options satisfies PublicKeyCredentialRequestOptionsJSON, browserToken };
  }

  /**
   * Password-less sign-in, step 2: answers the owner of the passkey, verified by the authenticator
   * (user verification required) under the user handle it was made for. An unknown passkey, a
   * wrong signature, origin or counter, and a used or expired challenge all get the same refusal.
   * Attempts count per network and per passkey owner before anything is checked.
   */
  async verifySignIn(
    kind: PrincipalKind,
    browserToken: string | undefined,
    credential: AuthenticationResponseJSON,
    client: Client,
  ): Promise<string> {
    const passkey = await this.store.byCredentialId(kind, credential.id);
    const ownerId = passkey ? ownerIdOf(passkey) : undefined;
    const owner = ownerId ? await this.ownerKey(kind, ownerId) : undefined;
    const attempt = await takeSignInAttempt(
      this.deps.throttle,
      client,
      owner ?? `passkey:${credential.id.slice(0, 100)}`,
    );
    const challenge = browserToken
      ? await this.store.consumeChallenge(
          kind,
          'sign_in',
          { browserDigest: this.deps.secrets.digest(browserToken) },
          this.deps.clock.now(),
        )
      : undefined;
    const handleMatches =
      passkey !== undefined &&
      ownerId !== undefined &&
      credential.response.userHandle === passkey.user_handle &&
      passkey.user_handle === this.userHandle({ kind, id: ownerId });
    if (
      !challenge ||
      !passkey ||
      !ownerId ||
      !handleMatches ||
      !(await this.verifyAssertion(passkey, credential, challenge, true))
    ) {
      if (ownerId)
        await this.deps.audit.record(actorOf({ kind, id: ownerId }, client), {
          action: `${kind}.authentication_failed`,
          details: { method: 'passkey' },
        });
      throw IdentityErrors.passkeyRefused();
    }
    await attempt.refund();
    return ownerId;
  }

  /** The sign-in throttle's account key of an owner: the same budget their password spends. */
  private async ownerKey(kind: PrincipalKind, ownerId: string): Promise<string | undefined> {
    const table = kind === 'user' ? 'users' : 'staff_members';
    const row = await executor(this.deps.db)
      .selectFrom(table)
      .select('email')
      .where('id', '=', ownerId)
      .executeTakeFirst();
    return row ? throttleKey({ kind, email: row.email }) : undefined;
  }

  /** Checks an assertion against the passkey and records the use; false for any failure. */
  private async verifyAssertion(
    passkey: PasskeyRow,
    credential: AuthenticationResponseJSON,
    challenge: string,
    requireUserVerification: boolean,
  ): Promise<boolean> {
    const result = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      credential: {
        id: passkey.credential_id,
        publicKey: Buffer.from(passkey.public_key, 'base64url'),
        counter: Number(passkey.counter),
        transports: passkey.transports,
      },
      requireUserVerification,
    }).catch(() => undefined);
    if (!result?.verified) return false;
    return this.store.recordUse(
      passkey.id,
      passkey.counter,
      result.authenticationInfo.newCounter,
      this.deps.clock.now(),
    );
  }
}

const ownerIdOf = (row: PasskeyRow) => (row.user_id ?? row.staff_id) as string;

/** Sign-in budgets are keyed by email, staff's apart from customers' (as their password steps do). */
const throttleKey = (owner: { kind: PrincipalKind; email: string }) =>
  owner.kind === 'staff' ? `staff:${owner.email}` : owner.email;

const actorOf = (owner: { kind: PrincipalKind; id: string }, client: Client) =>
  owner.kind === 'user' ? { ...client, userId: owner.id } : { ...client, staffId: owner.id };
