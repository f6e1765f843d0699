import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 党员: a household member marked 党员, with a login of their own and a book of their own on the ledger (`accountId`:
 * a `ledger_account` of kind PARTY_MEMBER). Their points never move the household's.
 */
@Entity('party_member')
@Index(['villageId'])
export class PartyMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** The household member (household_member.id) this is; one party member per person. */
  @Column({ type: 'integer', unique: true })
  memberId: number;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  /** The member's book on the ledger. */
  @Column({ type: 'integer' })
  accountId: number;

  /** The member's own login (an account with the PARTY_MEMBER role). */
  @Column({ type: 'integer' })
  userId: number;

  /** The login's name: the household's code and the member's number in it (`ty-0001-dy1`). */
  @Column({ type: 'varchar', length: 40 })
  username: string;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
