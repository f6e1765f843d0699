import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 操作日志: who did what to which record, when and from where. Append-only. */
@Entity('audit_log')
@Index(['villageId', 'createdAt'])
export class AuditLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @CreateDateColumn()
  createdAt: Date;

  /** USER, HOUSEHOLD, SYSTEM or ANONYMOUS (a failed login). */
  @Column({ type: 'varchar', length: 12 })
  actorType: string;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 60 })
  actorName: string;

  /** e.g. `village.create`, `user.deactivate`, `auth.login_failed`. */
  @Index()
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  entityType: string | null;

  @Column({ type: 'integer', nullable: true })
  entityId: number | null;

  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @Column({ type: 'integer', nullable: true })
  villageId: number | null;

  @Column({ type: 'text', nullable: true })
  details: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** The audit chain (see audit-chain.ts): the row's place, the previous row's hash and its own; null until sealed. */
  @Column({ type: 'integer', nullable: true, select: false })
  chainSeq: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true, select: false })
  prevHash: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true, select: false })
  hash: string | null;
}
