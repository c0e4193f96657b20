import type { Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { StaffMembersTable, StaffRole } from '../../db/schema.js';

/** SQL for the operator's staff members. */
export class StaffStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  byEmail(email: string) {
    return this.q.selectFrom('staff_members').selectAll().where('email', '=', email).executeTakeFirst();
  }

  byId(id: string) {
    return this.q.selectFrom('staff_members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async insert(member: { id: string; email: string; name: string; role: StaffRole }) {
    await this.q.insertInto('staff_members').values(member).execute();
  }

  async update(id: string, changes: Updateable<StaffMembersTable>) {
    await this.q.updateTable('staff_members').set(changes).where('id', '=', id).execute();
  }

  /** Records a TOTP step as used; false when that step (or a later one) was already used. */
  async claimTotpStep(id: string, step: bigint): Promise<boolean> {
    const result = await this.q
      .updateTable('staff_members')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
