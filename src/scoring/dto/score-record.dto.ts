import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim } from '../../common/transforms.js';
import { RECORD_STATUSES, type RecordStatus } from '../score-record.entity.js';

const DATE = '日期应为 YYYY-MM-DD，例如 2026-11-22';

export class CreateScoreRecordDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择积分细则' })
  @Min(1, { message: '请选择积分细则' })
  ruleId: number;

  @ApiProperty({ example: '2026-11-20', description: '事情发生的日期' })
  @Matches(DATE_PATTERN, { message: DATE })
  occurredOn: string;

  @ApiPropertyOptional({ description: '区间分值时在区间内选择；不填取最接近 0 的一端' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '分值应为整数' })
  points?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '说明应为文字' })
  @MaxLength(500, { message: '说明最多 500 个字' })
  note?: string;

  @ApiPropertyOptional({ description: '同一个键重复提交只登记一次' })
  @IsOptional()
  @IsString({ message: '幂等键应为文字' })
  @Matches(/^[A-Za-z0-9_.:-]{8,80}$/, { message: '幂等键应为 8–80 位字母、数字或 _.:-' })
  idempotencyKey?: string;
}

export class BatchScoreRecordDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择积分细则' })
  @Min(1, { message: '请选择积分细则' })
  ruleId: number;

  @ApiProperty({ type: [Number] })
  @IsArray({ message: '请勾选农户' })
  @ArrayMinSize(1, { message: '请至少勾选一户' })
  @ArrayMaxSize(1000, { message: '一次最多 1000 户' })
  @ArrayUnique({ message: '同一户勾选了两次' })
  @Type(() => Number)
  @IsInt({ each: true, message: '农户编号应为整数' })
  householdIds: number[];

  @ApiProperty({ example: '2026-11-20' })
  @Matches(DATE_PATTERN, { message: DATE })
  occurredOn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '说明应为文字' })
  @MaxLength(500, { message: '说明最多 500 个字' })
  note?: string;
}

export class DeclarationDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择积分细则' })
  @Min(1, { message: '请选择积分细则' })
  ruleId: number;

  @ApiProperty({ example: '2026-11-20' })
  @Matches(DATE_PATTERN, { message: DATE })
  occurredOn: string;

  @ApiProperty({ description: '做了什么好事' })
  @Transform(trim)
  @IsString({ message: '请写一写做了什么' })
  @IsNotEmpty({ message: '请写一写做了什么' })
  @MaxLength(500, { message: '说明最多 500 个字' })
  note: string;
}

export class ApproveDto {
  @ApiPropertyOptional({ description: '区间分值时在区间内选择' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '分值应为整数' })
  points?: number;
}

export class RejectDto {
  @ApiProperty({ example: '照片看不清，请补充' })
  @Transform(trim)
  @IsString({ message: '请填写退回理由' })
  @IsNotEmpty({ message: '请填写退回理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason: string;
}

export class ReviewManyDto {
  @ApiProperty({ type: [Number] })
  @IsArray({ message: '请勾选记录' })
  @ArrayMinSize(1, { message: '请至少勾选一条记录' })
  @ArrayMaxSize(500, { message: '一次最多 500 条' })
  @Type(() => Number)
  @IsInt({ each: true, message: '记录编号应为整数' })
  recordIds: number[];

  @ApiProperty({ enum: ['APPROVE', 'REJECT'] })
  @IsIn(['APPROVE', 'REJECT'], { message: '请选择通过或退回' })
  decision: 'APPROVE' | 'REJECT';

  @ApiPropertyOptional({
    description: '通过时各条记录审定的分值（记录编号 → 分值，区间细则用）；未列出的按登记的分值通过',
    example: { '12': 25 },
  })
  @IsOptional()
  @IsObject({ message: '分值应为 记录编号 → 分值' })
  points?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '理由应为文字' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason?: string;
}

export class CorrectDto {
  @ApiProperty({ description: '更正后的分值' })
  @Type(() => Number)
  @IsInt({ message: '分值应为整数' })
  points: number;

  @ApiProperty()
  @Transform(trim)
  @IsString({ message: '请填写更正理由' })
  @IsNotEmpty({ message: '请填写更正理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason: string;
}

export class RecordListQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请指定村' })
  villageId: number;

  @ApiPropertyOptional({ enum: RECORD_STATUSES })
  @IsOptional()
  @IsIn(RECORD_STATUSES, { message: '状态不正确' })
  status?: RecordStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '农户编号应为整数' })
  householdId?: number;
}
