import { bigintAsNumber } from '../common/columns.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A page login. The cookie holds a random id; only its SHA-256 is stored, so a leaked table opens nothing. */
@Entity('login_session')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  idHash: string;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'integer', nullable: true })
  householdId: number | null;

  /** Set when the household's login is one of its proxies (亲属代办). */
  @Column({ type: 'integer', nullable: true })
  proxyId: number | null;

  @CreateDateColumn()
  createdAt: Date;

  /** Epoch milliseconds. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  expiresAt: number;
}
