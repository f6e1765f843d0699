import { bigintAsNumber } from '../common/columns.js';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed logins counted per key (`u:<username>`, `h:<household code>`, `d:<device>:<account>`, `ip:<address>`) in a
 * window that starts at the first failure. In the database so that every server process sees one count and a restart
 * forgets nothing; written only by LoginThrottle's guarded upsert.
 */
@Entity('login_attempt')
export class LoginAttempt {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  /** Epoch milliseconds of the window's first failure. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  windowStart: number;
}
