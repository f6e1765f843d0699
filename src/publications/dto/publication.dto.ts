import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { PUBLICATION_DEFAULT_DAYS, PUBLICATION_MAX_DAYS } from '../publication-window.js';

export class OpenPublicationDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请指定村' })
  @Min(1, { message: '请指定村' })
  villageId: number;

  @ApiPropertyOptional({
    default: PUBLICATION_DEFAULT_DAYS,
    minimum: 0,
    maximum: PUBLICATION_MAX_DAYS,
    description: '公示天数；下限由 PUBLICATION_MIN_DAYS 决定',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '公示天数应为整数' })
  @Min(0, { message: `公示天数应为 1–${PUBLICATION_MAX_DAYS} 天` })
  @Max(PUBLICATION_MAX_DAYS, { message: `公示天数最多 ${PUBLICATION_MAX_DAYS} 天` })
  days?: number;
}

export class ObjectionDto {
  @ApiProperty({ example: '那天他不在村里' })
  @Transform(trim)
  @IsString({ message: '请写明异议理由' })
  @IsNotEmpty({ message: '请写明异议理由' })
  @MaxLength(500, { message: '理由最多 500 个字' })
  reason: string;
}

export class ResolveObjectionDto {
  @ApiProperty({
    enum: ['DISMISS', 'UPHOLD'],
    description: 'DISMISS 驳回异议；UPHOLD 采纳（带 points 为更正分值，不带为撤销记录）',
  })
  @IsIn(['DISMISS', 'UPHOLD'], { message: '请选择驳回或采纳' })
  decision: 'DISMISS' | 'UPHOLD';

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '分值应为整数' })
  points?: number;

  @ApiPropertyOptional({ description: '处理意见：驳回时必填，异议人会看到' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '处理意见应为文字' })
  @MaxLength(200, { message: '处理意见最多 200 个字' })
  reason?: string;
}

/** 代村民登记异议 on the publication's page: which record, which household objects, who came, and why. */
export class OnBehalfObjectionDto {
  @Type(() => Number)
  @IsInt({ message: '请选择有异议的记录' })
  @Min(1, { message: '请选择有异议的记录' })
  recordId: number;

  @Type(() => Number)
  @IsInt({ message: '请选择提出异议的农户' })
  @Min(1, { message: '请选择提出异议的农户' })
  householdId: number;

  @Transform(trim)
  @IsString({ message: '请填写来反映的人' })
  @IsNotEmpty({ message: '请填写来反映的人' })
  @MaxLength(40, { message: '姓名最多 40 个字' })
  toldBy: string;

  @Transform(trim)
  @IsString({ message: '请写明异议理由' })
  @IsNotEmpty({ message: '请写明异议理由' })
  @MaxLength(500, { message: '理由最多 500 个字' })
  reason: string;
}
