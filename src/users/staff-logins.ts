import type { DataSource } from 'typeorm';
import { raw, truthy } from '../database/raw.js';
import { User } from './user.entity.js';

/**
 * What a staff login reads and writes of `app_user`, for `auth/`: the account by its name, the active account behind
 * a session or token (read on every request: one plain query), and a new password. The table is the users feature's.
 */
export type StaffFields = Pick<
  User,
  'id' | 'username' | 'displayName' | 'role' | 'townshipId' | 'villageId' | 'householdId'
>;

/** The account of this user name, whatever its case, active or not. */
export function staffByUsername(db: DataSource, name: string): Promise<User | null> {
  return db
    .getRepository(User)
    .createQueryBuilder('u')
    .where('LOWER(u.username) = LOWER(:name)', { name })
    .getOne();
}

/** The account behind a session or token, or null once it is deactivated. */
export async function activeStaff(
  db: DataSource,
  id: number,
): Promise<(StaffFields & { tokenVersion: number }) | null> {
  const [user] = await raw<StaffFields & { tokenVersion: number; active: unknown }>(
    db,
    `SELECT id, username, "displayName", role, "townshipId", "villageId", "householdId", "tokenVersion", active
      FROM app_user WHERE id = $1`,
    [id],
  );
  return user && truthy(user.active) ? user : null;
}

/** The account with its password hash (for a password change). */
export function staffWithSecret(db: DataSource, id: number): Promise<User> {
  return db.getRepository(User).findOneByOrFail({ id });
}

/** A new password: the token version moves on, so every token issued before stops working. */
export async function setStaffPassword(
  db: DataSource,
  user: Pick<User, 'id' | 'tokenVersion'>,
  passwordHash: string,
): Promise<void> {
  await db.getRepository(User).update(user.id, { passwordHash, tokenVersion: user.tokenVersion + 1 });
}
