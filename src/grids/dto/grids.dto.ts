import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim } from '../../common/transforms.js';
import { AFFAIR_KINDS, AFFAIR_STATUSES, type AffairKind, type AffairStatus } from '../grid-affair.entity.js';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' || value === 'on'
    ? true
    : value === 'false' || value === '0'
      ? false
      : value;

export class CreateGridDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ description: '网格名称，例如 第一网格' })
  @Transform(trim)
  @IsString({ message: '请填写网格名称' })
  @IsNotEmpty({ message: '请填写网格名称' })
  @MaxLength(30, { message: '网格名称最多 30 个字' })
  name: string;

  @ApiPropertyOptional({ description: '网格员（本村的组长/网格员账号）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择网格员' })
  @Min(1, { message: '请选择网格员' })
  scorerUserId?: number;

  @ApiProperty({ type: [Number], description: '网格内的农户（一户只在一个网格）' })
  @IsArray({ message: '请勾选网格内的农户' })
  @ArrayUnique({ message: '同一户勾选了两次' })
  @ArrayMaxSize(2000, { message: '一个网格最多 2000 户' })
  @Type(() => Number)
  @IsInt({ each: true, message: '请勾选网格内的农户' })
  @Min(1, { each: true, message: '请勾选网格内的农户' })
  householdIds: number[];
}

export class GridSettingsDto {
  @ApiPropertyOptional({ description: '有效上报给上报户记分的细则；不填则不记分' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择细则' })
  @Min(1, { message: '请选择细则' })
  validReportRuleId?: number | null;

  @ApiPropertyOptional({ description: '农户办结派给它的事务时记分的细则；不填则不记分' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择细则' })
  @Min(1, { message: '请选择细则' })
  handledRuleId?: number | null;
}

export class ReportAffairDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ enum: AFFAIR_KINDS })
  @IsIn(AFFAIR_KINDS, { message: '请选择事务类别' })
  kind: AffairKind;

  @ApiProperty({ description: '发生了什么' })
  @Transform(trim)
  @IsString({ message: '请写明情况' })
  @IsNotEmpty({ message: '请写明情况' })
  @MaxLength(500, { message: '情况最多 500 个字' })
  text: string;

  @ApiPropertyOptional({ description: '涉及的农户' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId?: number;

  @ApiPropertyOptional({ description: '地点（不涉及某一户时）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '地点应为文字' })
  @MaxLength(100, { message: '地点最多 100 个字' })
  place?: string;

  @ApiPropertyOptional({ description: '同一个键重复提交只上报一次' })
  @IsOptional()
  @IsString({ message: '幂等键应为文字' })
  @Matches(/^[A-Za-z0-9_.:-]{8,80}$/, { message: '幂等键应为 8–80 位字母、数字或 _.:-' })
  idempotencyKey?: string;
}

export class ScreenAffairDto {
  @ApiProperty({ description: '有效 true，无效 false' })
  @Transform(toBoolean)
  @IsBoolean({ message: '请选择有效或无效' })
  valid: boolean;

  @ApiPropertyOptional({ description: '理由（无效时必填）' })
  @Transform(trim)
  @ValidateIf((o: ScreenAffairDto) => o.valid === false || (o.reason !== undefined && o.reason !== ''))
  @IsString({ message: '请写明无效的理由' })
  @IsNotEmpty({ message: '请写明无效的理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason?: string;
}

export class DispatchAffairDto {
  @ApiPropertyOptional({ description: '派给网格员（本村组长/网格员账号）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择网格员' })
  @Min(1, { message: '请选择网格员' })
  assigneeUserId?: number;

  @ApiPropertyOptional({ description: '或派给自愿承办的农户' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId?: number;

  @ApiPropertyOptional({ description: '或农户的户号（页面上输入户号，不选网格员时）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '户号应为文字' })
  @MaxLength(20, { message: '户号最多 20 个字' })
  householdCode?: string;

  @ApiProperty({ description: '办结期限 YYYY-MM-DD' })
  @IsString({ message: '请填写办结期限' })
  @Matches(DATE_PATTERN, { message: '办结期限应为 YYYY-MM-DD，例如 2026-12-20' })
  dueOn: string;
}

export class CloseAffairDto {
  @ApiProperty({ description: '办理情况' })
  @Transform(trim)
  @IsString({ message: '请写明办理情况' })
  @IsNotEmpty({ message: '请写明办理情况' })
  @MaxLength(500, { message: '办理情况最多 500 个字' })
  note: string;
}

export class AffairListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId?: number;

  @ApiPropertyOptional({ enum: AFFAIR_STATUSES })
  @IsOptional()
  @IsIn(AFFAIR_STATUSES, { message: '状态不对' })
  status?: AffairStatus;
}
