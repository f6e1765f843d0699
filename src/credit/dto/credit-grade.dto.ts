import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { trim } from '../../common/transforms.js';
import { LEVELS_MAX, LEVELS_MIN } from '../credit-grade-rules.js';

export const YEAR_MESSAGE = '年份应为 2000–2100 的四位数，例如 2026';

/** The year of a village's grades: four digits, given in the query or the body. */
export class CreditYearDto {
  @ApiProperty({ example: 2026, description: '评定哪一年' })
  @Type(() => Number)
  @IsInt({ message: YEAR_MESSAGE })
  @Min(2000, { message: YEAR_MESSAGE })
  @Max(2100, { message: YEAR_MESSAGE })
  year: number;
}

export class GradeLevelDto {
  @ApiProperty({ example: 'AAA', description: '等级名称（最多 8 个字）' })
  @Transform(trim)
  @IsString({ message: '请填写等级名称' })
  @IsNotEmpty({ message: '请填写等级名称' })
  @MaxLength(8, { message: '等级名称最多 8 个字' })
  name: string;

  @ApiProperty({ example: 300, description: '本年累计获得积分至少多少' })
  @Type(() => Number)
  @IsInt({ message: '积分门槛应为 0–100000 的整数' })
  @Min(0, { message: '积分门槛应为 0–100000 的整数' })
  @Max(100000, { message: '积分门槛应为 0–100000 的整数' })
  minPoints: number;

  @ApiProperty({ example: 4, description: '本年星级至少几星（0–5）' })
  @Type(() => Number)
  @IsInt({ message: '星级门槛应为 0–5 的整数' })
  @Min(0, { message: '星级门槛应为 0–5 的整数' })
  @Max(5, { message: '星级门槛应为 0–5 的整数' })
  minStars: number;
}

export class CreditGradeRulesDto {
  @ApiProperty({
    type: [GradeLevelDto],
    description: `等级从高到低（${LEVELS_MIN}–${LEVELS_MAX} 级），门槛逐级不升；最低一级是其余农户的等级，门槛为 0`,
  })
  @IsArray({ message: `请设 ${LEVELS_MIN}–${LEVELS_MAX} 个等级` })
  @ArrayMinSize(LEVELS_MIN, { message: `请设 ${LEVELS_MIN}–${LEVELS_MAX} 个等级` })
  @ArrayMaxSize(LEVELS_MAX, { message: `请设 ${LEVELS_MIN}–${LEVELS_MAX} 个等级` })
  @ValidateNested({ each: true })
  @Type(() => GradeLevelDto)
  levels: GradeLevelDto[];

  @ApiPropertyOptional({
    example: 'B',
    description: '本年上过黑榜的农户最高评到哪一级（默认最低一级）',
  })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '请选择上黑榜农户的最高等级' })
  @MaxLength(8, { message: '请选择上黑榜农户的最高等级' })
  blackListGrade?: string;
}

export class PublicizeGradesDto extends CreditYearDto {
  @ApiPropertyOptional({ example: 7, description: '公示天数（默认 7 天）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '公示天数应为整数' })
  days?: number;
}

export class GradeObjectionDto extends CreditYearDto {
  @ApiPropertyOptional({ description: '对哪一户的等级有异议（村民为本户，可不填）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId?: number;

  @ApiProperty({ description: '异议的理由' })
  @Transform(trim)
  @IsString({ message: '请写明异议的理由' })
  @IsNotEmpty({ message: '请写明异议的理由' })
  @MaxLength(500, { message: '理由最多 500 个字' })
  reason: string;
}

export class AnswerGradeObjectionDto {
  @ApiProperty({
    enum: ['UPHOLD', 'DISMISS'],
    description: 'UPHOLD 异议成立（按 grade 调整，不填则按现有积分重新评定这一户）；DISMISS 驳回',
  })
  @IsIn(['UPHOLD', 'DISMISS'], { message: '请选择异议成立或驳回' })
  decision: 'UPHOLD' | 'DISMISS';

  @ApiPropertyOptional({ example: 'AA', description: '异议成立时调整到的等级（本次评定的等级之一）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '请选择等级' })
  @Matches(/^.{0,8}$/, { message: '请选择等级' })
  grade?: string;

  @ApiProperty({ description: '答复（说明理由）' })
  @Transform(trim)
  @IsString({ message: '请写明理由' })
  @IsNotEmpty({ message: '请写明理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  answer: string;
}

export class FileGradesDto extends CreditYearDto {
  @ApiPropertyOptional({ description: '备案意见（可不填）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '意见应为文字' })
  @MaxLength(200, { message: '意见最多 200 个字' })
  comment?: string;
}

export class ReturnGradesDto extends CreditYearDto {
  @ApiProperty({ description: '退回的理由' })
  @Transform(trim)
  @IsString({ message: '请写明退回的理由' })
  @IsNotEmpty({ message: '请写明退回的理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  comment: string;
}
