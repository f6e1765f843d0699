import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { ENTRY_KINDS, type EntryKind } from '../../ledger/ledger-entry.entity.js';

export class PassbookQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '开始日期应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '结束日期应为 YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: ENTRY_KINDS })
  @IsOptional()
  @IsIn(ENTRY_KINDS, { message: '类型不正确' })
  kind?: EntryKind;

  @ApiPropertyOptional({ description: '页码（存折页面每页 20 条，1 为最新）', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码应为正整数' })
  @Min(1, { message: '页码应为正整数' })
  @Max(100000, { message: '页码太大' })
  page?: number;
}

export class VerifyQuery {
  @ApiPropertyOptional({ description: '不填则核对权限内所有村' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '村编号应为整数' })
  villageId?: number;
}
