import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim } from '../../common/transforms.js';

const DATE = '日期应为 YYYY-MM-DD，例如 2026-11-22';

export class CreateActivityDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ example: '清扫村道', maxLength: 40 })
  @Transform(trim)
  @IsString({ message: '请填写活动名称' })
  @IsNotEmpty({ message: '请填写活动名称' })
  @MaxLength(40, { message: '活动名称最多 40 个字' })
  title: string;

  @ApiProperty({ example: '2026-12-06', description: '活动的日期' })
  @Matches(DATE_PATTERN, { message: DATE })
  on: string;

  @ApiProperty({ example: '村委会门口', maxLength: 60 })
  @Transform(trim)
  @IsString({ message: '请填写活动地点' })
  @IsNotEmpty({ message: '请填写活动地点' })
  @MaxLength(60, { message: '活动地点最多 60 个字' })
  place: string;

  @ApiProperty({ example: 20, description: '名额：最多可报名的户数' })
  @Type(() => Number)
  @IsInt({ message: '名额应为 1–1000 的整数' })
  @Min(1, { message: '名额应为 1–1000 的整数' })
  @Max(1000, { message: '名额应为 1–1000 的整数' })
  places: number;

  @ApiProperty({ description: '结束活动时按这条细则为每户登记积分' })
  @Type(() => Number)
  @IsInt({ message: '请选择积分细则' })
  @Min(1, { message: '请选择积分细则' })
  ruleId: number;

  @ApiPropertyOptional({ example: 2, description: '每小时的积分；不填按细则的分值每户一次' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每小时积分应为 1–100 的整数' })
  @Min(1, { message: '每小时积分应为 1–100 的整数' })
  @Max(100, { message: '每小时积分应为 1–100 的整数' })
  pointsPerHour?: number;
}

export class SignUpDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;
}

const HOURS = '时长应大于 0 小时、不超过 24 小时，最多一位小数';

export class AttendanceDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiPropertyOptional({ example: 2.5, description: '服务时长（小时），0 < 时长 ≤ 24，最多一位小数' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 }, { message: HOURS })
  @IsPositive({ message: HOURS })
  @Max(24, { message: HOURS })
  hours?: number;
}
