import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 党员联系农户: a household a party member is linked to. */
@Entity('party_link')
@Index(['partyMemberId', 'householdId'], { unique: true })
export class PartyLink {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  partyMemberId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
