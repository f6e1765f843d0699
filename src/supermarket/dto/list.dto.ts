import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';

export class VillageQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请指定村' })
  @Min(1, { message: '请指定村' })
  villageId: number;
}

export class RedemptionListQuery extends VillageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '农户编号应为整数' })
  householdId?: number;

  @ApiPropertyOptional({ enum: ['DONE', 'CANCELLED'] })
  @IsOptional()
  @IsIn(['DONE', 'CANCELLED'], { message: '状态应为 DONE 或 CANCELLED' })
  status?: 'DONE' | 'CANCELLED';

  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '日期应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '日期应为 YYYY-MM-DD' })
  to?: string;
}
