import { sql } from 'kysely';
import { afterCommit, type Db, executor, inTransaction } from '../../db/database.js';
import type { DisconnectProtocol } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { urlShapeProblem } from '../../lib/outbound.js';
import { constantTimeEqual, randomToken, type SecretBox } from '../../lib/secrets.js';
import { newWebhookSecret } from '../../lib/webhooks.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { EngineStore, type EngineView } from './engine-store.js';
import { EngineRefusals } from './errors.js';

/** The channel that tells every instance an engine was revoked (payload: its id). */
export const ENGINES_CHANGED_CHANNEL = 'sb_engines_changed';

/** `sbe_<engine id, 32 hex digits>_<256 random bits, base64url>`: the id finds the row, the whole key is checked. */
const KEY_FORMAT = /^sbe_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const NAME_FORMAT = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** last_used_at is written at most this often per engine and instance: not on every request. */
const TOUCH_EVERY_MS = 60_000;

const uuidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Staff, the CLI or a system process acting on engines. */
export type EngineActor = Actor & { staffId?: string | null };

/**
 * The telephony and messaging engines' credentials. Staff create one with a name and see its key
 * once; Switchboard keeps only a keyed digest (HMAC-SHA-256 under the server key, as for auth tokens)
 * and compares digests in constant time. A verified engine is remembered by this instance until it
 * is revoked: the revoking instance forgets it at commit and tells the others (NOTIFY).
 */
export class EngineService {
  readonly store: EngineStore;
  /** Engine id → the digest of its live key, or null once revoked. Unknown ids are not remembered. */
  readonly #known = new Map<string, string | null>();
  #generation = 0;
  readonly #touchedAt = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly secrets: Pick<SecretBox, 'digest' | 'encrypt' | 'decrypt'>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.store = new EngineStore(db);
  }

  /** Creates an engine credential; its key is in this answer only. Audited. */
  async create(actor: EngineActor, name: string): Promise<{ engineId: string; name: string; key: string }> {
    const trimmed = name.trim();
    assertThat(NAME_FORMAT.test(trimmed), () => EngineRefusals.invalidName(trimmed));
    return inTransaction(this.db, async () => {
      const engineId = newId();
      const key = `sbe_${engineId.replaceAll('-', '')}_${randomToken(32)}`;
      const inserted = await this.store.insert({
        id: engineId,
        name: trimmed,
        keyDigest: this.secrets.digest(key),
        createdBy: actor.staffId ? `staff:${actor.staffId}` : actor.ip === 'cli' ? 'cli' : 'system',
      });
      assertThat(inserted, () => EngineRefusals.nameTaken(trimmed));
      await this.audit.record(actor, { action: 'engine.created', details: { engineId, name: trimmed } });
      return { engineId, name: trimmed, key };
    });
  }

  list(): Promise<EngineView[]> {
    return this.store.list();
  }

  /** Revokes an engine: its key is refused from its next request on, on every instance. Audited. */
  async revoke(actor: EngineActor, engineId: string): Promise<EngineView> {
    return inTransaction(this.db, async () => {
      assertThat(await this.store.exists(engineId), EngineRefusals.notFound);
      const revoked = await this.store.revoke(engineId, this.clock.now());
      if (revoked) {
        await this.audit.record(actor, {
          action: 'engine.revoked',
          details: { engineId, name: revoked.name },
        });
        await sql`SELECT pg_notify(${ENGINES_CHANGED_CHANNEL}, ${engineId})`.execute(executor(this.db));
        afterCommit(() => this.forget(engineId));
      }
      const view = (await this.store.list()).find((engine) => engine.id === engineId);
      return view as EngineView;
    });
  }

  /**
   * Sets where the engine hears disconnect requests, with a new signing secret (answered this once;
   * the old one stops signing at once). The URL is the operator's own engine: private addresses are
   * allowed. Audited.
   */
  async setDisconnectUrl(
    actor: EngineActor,
    engineId: string,
    url: string,
    protocol: DisconnectProtocol = 'webhook',
  ): Promise<{ engine: EngineView; signingSecret: string }> {
    const trimmed = url.trim();
    const problem = urlShapeProblem(trimmed);
    assertThat(problem === null, () => EngineRefusals.invalidDisconnectUrl(problem as string));
    return inTransaction(this.db, async () => {
      assertThat(await this.store.exists(engineId), EngineRefusals.notFound);
      const signingSecret = newWebhookSecret();
      await this.store.setDisconnect(engineId, trimmed, this.secrets.encrypt(signingSecret), protocol);
      await this.audit.record(actor, {
        action: 'engine.disconnect_url_set',
        details: { engineId, url: trimmed, protocol },
      });
      const engine = (await this.store.list()).find((row) => row.id === engineId) as EngineView;
      return { engine, signingSecret };
    });
  }

  /** Where to POST an engine's disconnect requests and the secret that signs them; null when it has no URL or was revoked. */
  async disconnectTarget(
    engineId: string,
  ): Promise<{ url: string; secret: string; protocol: DisconnectProtocol } | null> {
    const row = await this.store.disconnectTarget(engineId);
    if (!row?.disconnect_url || !row.signing_secret_encrypted || row.revoked_at) return null;
    return {
      url: row.disconnect_url,
      secret: this.secrets.decrypt(row.signing_secret_encrypted),
      protocol: row.disconnect_protocol,
    };
  }

  /** The engine a Bearer key belongs to; refuses (401) a missing, malformed, unknown or revoked key. */
  async authenticate(authorization: string | undefined): Promise<string> {
    const key = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    const match = KEY_FORMAT.exec(key);
    if (!match) throw EngineRefusals.keyInvalid();
    const engineId = uuidOf(match[1] as string);
    let digest = this.#known.get(engineId);
    if (digest === undefined) {
      const generation = this.#generation;
      const row = await this.store.credential(engineId);
      if (!row) throw EngineRefusals.keyInvalid();
      digest = row.revoked_at ? null : row.key_digest;
      // A revocation heard while reading must not be overwritten by what was read before it.
      if (generation === this.#generation) this.#known.set(engineId, digest);
    }
    if (digest === null || !constantTimeEqual(this.secrets.digest(key), digest))
      throw EngineRefusals.keyInvalid();
    await this.touch(engineId);
    return engineId;
  }

  /** Forgets what this instance knows of an engine (all engines without an id). */
  forget(engineId?: string): void {
    this.#generation++;
    if (engineId) this.#known.delete(engineId);
    else this.#known.clear();
  }

  private async touch(engineId: string) {
    const now = this.clock.now();
    const last = this.#touchedAt.get(engineId);
    if (last !== undefined && now.getTime() - last < TOUCH_EVERY_MS) return;
    this.#touchedAt.set(engineId, now.getTime());
    await this.store.touch(engineId, now);
  }
}
