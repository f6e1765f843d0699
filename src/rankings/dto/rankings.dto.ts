import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/transforms.js';

const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
const PERIOD_MESSAGE = '期间应为 2026-11（月）、2026-Q4（季度）或 2026（年）';

export class PeriodQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: '月 2026-11、季度 2026-Q4 或年 2026；默认本月' })
  @IsOptional()
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period?: string;

  @ApiPropertyOptional({ description: '只看一个村民小组' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '村民小组应为整数编号' })
  @Min(1, { message: '村民小组应为整数编号' })
  groupId?: number;
}

export class YearQueryDto {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '年份应为 4 位数字' })
  @Min(2000, { message: '年份应为 4 位数字' })
  @Max(2100, { message: '年份应为 4 位数字' })
  year?: number;
}

export class SubmitSnapshotDto {
  @ApiProperty({ example: '2026-11' })
  @IsString({ message: PERIOD_MESSAGE })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period: string;
}

export class ReturnSnapshotDto {
  @ApiProperty({ example: '第三名的加分缺少照片，请核实后重新提交' })
  @Transform(trim)
  @IsString({ message: '请写明退回的原因' })
  @IsNotEmpty({ message: '请写明退回的原因' })
  @MaxLength(500, { message: '意见最多 500 个字' })
  comment: string;
}

export class ConfirmListEntryDto {
  @ApiProperty({ example: '2026-11' })
  @IsString({ message: PERIOD_MESSAGE })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period: string;

  @ApiProperty({ enum: ['RED', 'BLACK'] })
  @IsIn(['RED', 'BLACK'], { message: '请选择红榜或黑榜' })
  list: 'RED' | 'BLACK';

  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiProperty({ example: '本月积分全村第一，带头清理河道' })
  @Transform(trim)
  @IsString({ message: '请写明上榜理由' })
  @IsNotEmpty({ message: '请写明上榜理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason: string;
}

export class PublishListsDto {
  @ApiProperty({ example: '2026-11' })
  @IsString({ message: PERIOD_MESSAGE })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period: string;
}

export class CloseListEntryDto {
  @ApiProperty({ example: '已拆除违建并恢复原貌，经村两委核实' })
  @Transform(trim)
  @IsString({ message: '请写明说明' })
  @IsNotEmpty({ message: '请写明说明' })
  @MaxLength(200, { message: '说明最多 200 个字' })
  note: string;
}

export class RankingSettingsDto {
  @ApiProperty({ example: '50,100,200,300,500', description: '一星到五星所需的年度积分' })
  @Transform(trim)
  @IsString({ message: '请填写星级标准' })
  @MaxLength(40, { message: '星级标准太长' })
  starThresholds: string;

  @ApiProperty({ enum: ['NAMED', 'GROUP'], description: 'NAMED 公布户名；GROUP 只公布所在小组' })
  @IsIn(['NAMED', 'GROUP'], { message: '请选择黑榜公布方式' })
  blackListMode: 'NAMED' | 'GROUP';

  @ApiProperty({ example: 10 })
  @Type(() => Number)
  @IsInt({ message: '红榜人数应为整数' })
  @Min(1, { message: '红榜人数至少 1' })
  @Max(100, { message: '红榜人数最多 100' })
  redListSize: number;
}
