import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { RULE_CATEGORIES, type RuleCategory } from '../../rules/scoring-rule.entity.js';

export class CreateRoundDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiPropertyOptional({ description: '检查哪个网格的农户；不填则检查全村在册农户' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择网格' })
  @Min(1, { message: '请选择网格' })
  gridId?: number;

  @ApiProperty({ description: '例如 12 月人居环境检查' })
  @Transform(trim)
  @IsString({ message: '请填写检查名称' })
  @IsNotEmpty({ message: '请填写检查名称' })
  @MaxLength(40, { message: '检查名称最多 40 个字' })
  title: string;

  @ApiProperty({ enum: RULE_CATEGORIES, description: '按本村这一类在用的细则逐户检查' })
  @IsIn(RULE_CATEGORIES, { message: '请选择细则类别' })
  category: RuleCategory;
}

export class CreateEntryDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiProperty({ description: '检查清单里的细则' })
  @Type(() => Number)
  @IsInt({ message: '请选择细则' })
  @Min(1, { message: '请选择细则' })
  ruleId: number;

  @ApiPropertyOptional({ description: '分值（在细则的范围内）；不填按细则的分值' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '分值应为整数' })
  points?: number;

  @ApiPropertyOptional({ description: '情况说明' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '情况说明应为文字' })
  @MaxLength(200, { message: '情况说明最多 200 个字' })
  note?: string;

  @ApiProperty({ description: '同一个键重复发送只记一次（手机离线后会重发）' })
  @IsString({ message: '请附上幂等键' })
  @Matches(/^[A-Za-z0-9_.:-]{8,80}$/, { message: '幂等键应为 8–80 位字母、数字或 _.:-' })
  idempotencyKey: string;
}
