import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** The most points one household may carry over from a paper passbook. */
export const OPENING_CAP_MAX = 100_000;

export class OpeningCapDto {
  @ApiProperty({ description: '每户期初积分上限（0 表示不允许结转）', example: 500 })
  @Type(() => Number)
  @IsInt({ message: '上限应为整数' })
  @Min(0, { message: '上限不能小于 0' })
  @Max(OPENING_CAP_MAX, { message: `上限最多 ${OPENING_CAP_MAX} 分` })
  openingCap: number;
}
