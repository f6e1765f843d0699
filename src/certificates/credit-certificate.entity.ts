import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a certificate states, frozen when it is issued. */
export interface CertificatePayload {
  villageName: string;
  householdCode: string;
  headName: string;
  earned: number;
  year: number;
  yearPoints: number;
  /** The year's rank in the village; null when the household has no points this year (no rank without points). */
  rank: number | null;
  households: number;
  stars: number;
  /** 信用等级 standing when issued (this year's, else last year's); absent on certificates issued before grades. */
  grade?: { year: number; grade: string } | null;
  issuedOn: string;
  purpose: string;
}

/** 积分证明 for 积分贷: a household's points, rank and stars as a bank can check them at /verify/:code. */
@Entity('credit_certificate')
export class CreditCertificate {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Index()
  @Column({ type: 'integer' })
  householdId: number;

  /** `ABCD-EFGH-JKLM`: random, unguessable, easy to read out over the phone (no 0/O, 1/I). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'text' })
  payloadJson: string;

  /** HMAC-SHA256 of the payload with the server's key: a changed payload no longer matches. */
  @Column({ type: 'varchar', length: 64 })
  signature: string;

  @Column({ type: 'varchar', length: 10, default: 'ISSUED' })
  status: 'ISSUED' | 'REVOKED';

  @Column({ type: 'integer' })
  issuedBy: number;

  @CreateDateColumn()
  issuedAt: Date;

  @Column({ type: 'integer', nullable: true })
  revokedBy: number | null;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  revokeReason: string | null;
}
