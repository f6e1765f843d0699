import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { trim } from '../../common/transforms.js';
import { RULE_CATEGORIES } from '../../rules/scoring-rule.entity.js';
import { COUNCIL_VOTES, type CouncilVoteChoice } from '../../scoring/council-vote.entity.js';

export const STARS_MAX = 8;

export class HonourStarDto {
  @ApiProperty({ example: '孝敬和睦', description: '星的名称' })
  @Transform(trim)
  @IsString({ message: '请填写星的名称' })
  @IsNotEmpty({ message: '请填写星的名称' })
  @MaxLength(12, { message: '星的名称最多 12 个字' })
  name: string;

  @ApiPropertyOptional({
    enum: RULE_CATEGORIES,
    description: '按哪一类细则的本年积分评（与 minPoints 一起填）',
  })
  @IsOptional()
  @IsIn(RULE_CATEGORIES, { message: `类别应为 ${RULE_CATEGORIES.join('、')} 之一` })
  category?: string;

  @ApiPropertyOptional({ example: 20, description: '该类本年积分至少多少分' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '最低积分应为 1–10000 的整数' })
  @Min(1, { message: '最低积分应为 1–10000 的整数' })
  @Max(10000, { message: '最低积分应为 1–10000 的整数' })
  minPoints?: number;

  @ApiPropertyOptional({ description: '是否需要评议会表决' })
  @IsOptional()
  @IsBoolean({ message: '是否需要评议会表决应为 true 或 false' })
  needsCouncil?: boolean;
}

export class CreateCampaignDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ example: 2026, description: '评选哪一年' })
  @Type(() => Number)
  @IsInt({ message: '年份应为 2000–2100 的整数' })
  @Min(2000, { message: '年份应为 2000–2100 的整数' })
  @Max(2100, { message: '年份应为 2000–2100 的整数' })
  year: number;

  @ApiProperty({ example: '2026年星级文明户评选' })
  @Transform(trim)
  @IsString({ message: '请填写活动名称' })
  @IsNotEmpty({ message: '请填写活动名称' })
  @MaxLength(40, { message: '活动名称最多 40 个字' })
  title: string;

  @ApiProperty({ type: [HonourStarDto], description: `评选的星（1–${STARS_MAX} 颗），各有评选条件` })
  @IsArray({ message: '请至少设一颗星' })
  @ArrayMinSize(1, { message: '请至少设一颗星' })
  @ArrayMaxSize(STARS_MAX, { message: `最多设 ${STARS_MAX} 颗星` })
  @ValidateNested({ each: true })
  @Type(() => HonourStarDto)
  stars: HonourStarDto[];
}

export class NominateDto {
  @ApiProperty({ description: '被提名的农户（村民自荐时为本户）' })
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiProperty({ description: '提名哪一颗星' })
  @Type(() => Number)
  @IsInt({ message: '请选择星' })
  @Min(1, { message: '请选择星' })
  starId: number;

  @ApiPropertyOptional({ example: '照顾瘫痪的婆婆十年', description: '事迹（可不填）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '事迹应为文字' })
  @MaxLength(200, { message: '事迹最多 200 个字' })
  reason?: string;
}

export class HonourVoteDto {
  @ApiProperty({ description: '对哪一个提名投票' })
  @Type(() => Number)
  @IsInt({ message: '请选择提名' })
  @Min(1, { message: '请选择提名' })
  nominationId: number;

  @ApiProperty({ enum: COUNCIL_VOTES, description: 'YES 赞成，NO 反对，ABSTAIN 弃权' })
  @IsIn(COUNCIL_VOTES, { message: '请选择赞成、反对或弃权' })
  vote: CouncilVoteChoice;

  @ApiPropertyOptional({ description: '意见（可不填）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '意见应为文字' })
  @MaxLength(200, { message: '意见最多 200 个字' })
  comment?: string;
}

export class PublishCampaignDto {
  @ApiPropertyOptional({ example: 7, description: '公示天数（默认 7 天）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '公示天数应为整数' })
  days?: number;
}

export class HonourObjectionDto {
  @ApiProperty({ description: '对哪一个评选结果有异议' })
  @Type(() => Number)
  @IsInt({ message: '请选择评选结果' })
  @Min(1, { message: '请选择评选结果' })
  nominationId: number;

  @ApiProperty({ description: '异议的理由' })
  @Transform(trim)
  @IsString({ message: '请写明异议的理由' })
  @IsNotEmpty({ message: '请写明异议的理由' })
  @MaxLength(500, { message: '理由最多 500 个字' })
  reason: string;
}

export class ResolveHonourObjectionDto {
  @ApiProperty({ enum: ['UPHOLD', 'DISMISS'], description: 'UPHOLD 异议成立（不授予）；DISMISS 驳回' })
  @IsIn(['UPHOLD', 'DISMISS'], { message: '请选择异议成立或驳回' })
  decision: 'UPHOLD' | 'DISMISS';

  @ApiProperty({ description: '答复（说明理由）' })
  @Transform(trim)
  @IsString({ message: '请写明理由' })
  @IsNotEmpty({ message: '请写明理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  answer: string;
}

export class FileCampaignDto {
  @ApiPropertyOptional({ description: '备案意见（可不填）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '意见应为文字' })
  @MaxLength(200, { message: '意见最多 200 个字' })
  comment?: string;
}
