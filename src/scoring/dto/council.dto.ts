import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { COUNCIL_VOTES, type CouncilVoteChoice } from '../council-vote.entity.js';

export const QUORUM_MAX = 50;
const QUORUM = `表决人数应为 1–${QUORUM_MAX} 的整数`;

export class CouncilVoteDto {
  @ApiProperty({ enum: COUNCIL_VOTES, description: 'YES 赞成，NO 反对，ABSTAIN 弃权' })
  @IsIn(COUNCIL_VOTES, { message: '请选择赞成、反对或弃权' })
  vote: CouncilVoteChoice;

  @ApiPropertyOptional({ example: '多年照顾瘫痪的婆婆，邻里都知道', description: '意见（可不填）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '意见应为文字' })
  @MaxLength(200, { message: '意见最多 200 个字' })
  comment?: string;
}

export class CouncilQuorumDto {
  @ApiProperty({ example: 5, description: '评议会表决的法定人数：投票人数达到后按多数决定' })
  @Type(() => Number)
  @IsInt({ message: QUORUM })
  @Min(1, { message: QUORUM })
  @Max(QUORUM_MAX, { message: QUORUM })
  quorum: number;
}

/** The council's settings: the quorum, and (when given) whether 公示 shows each voter's name with the vote. */
export class CouncilSettingsDto extends CouncilQuorumDto {
  @ApiPropertyOptional({
    example: false,
    description: '公示时是否显示每位评议会成员的姓名和所投的票（默认不显示，只公示票数）；不传则不变',
  })
  @IsOptional()
  @IsBoolean({ message: '是否公开投票人姓名应为 true 或 false' })
  showNames?: boolean;
}

/** What the council settings answer (OpenAPI only). */
export class CouncilSettingsView {
  @ApiProperty() villageId: number;
  @ApiProperty({ example: 5 }) quorum: number;
  @ApiProperty({ example: false, description: '公示是否显示投票人姓名' }) showNames: boolean;
}

/** What a vote answers (OpenAPI only). */
export class VoteResultView {
  @ApiProperty() recordId: number;
  @ApiProperty({
    example: 'PENDING',
    description: '记录的状态：表决达到法定人数并形成多数后为 APPROVED 或 REJECTED',
  })
  status: string;
  @ApiProperty({ example: 3 }) yes: number;
  @ApiProperty({ example: 0 }) no: number;
  @ApiProperty({ example: 1 }) abstain: number;
  @ApiProperty({ example: 5, description: '法定人数' }) quorum: number;
}
