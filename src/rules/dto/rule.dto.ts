import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { trim, upperTrim } from '../../common/transforms.js';
import { IsOmittable } from '../../common/validation.js';
import { RULE_CATEGORIES, type RuleCategory } from '../scoring-rule.entity.js';

const POINTS = '积分应为 -1000 到 1000 之间的整数，不能为 0';

/** Points are signed: a reward is positive, a deduction negative. Fixed (`points`) or a range (`minPoints`..`maxPoints`). */
class RulePointsFields {
  @ApiPropertyOptional({ example: 15, description: '固定分值（扣分为负数）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  points?: number;

  @ApiPropertyOptional({ example: 5, description: '区间分值的下限（审核人在区间内取值）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  minPoints?: number;

  @ApiPropertyOptional({ example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  maxPoints?: number;

  @ApiPropertyOptional({ description: '每户每月/每年最多几次' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '次数上限应为 1–100 的整数' })
  @Min(1, { message: '次数上限应为 1–100 的整数' })
  @Max(100, { message: '次数上限应为 1–100 的整数' })
  capCount?: number;

  @ApiPropertyOptional({ enum: ['month', 'year'] })
  @IsOptional()
  @IsIn(['month', 'year'], { message: '次数上限的周期应为 month（每月）或 year（每年）' })
  capPeriod?: 'month' | 'year';

  @ApiPropertyOptional({ description: '登记时必须附照片或说明' })
  @IsOptional()
  @IsBoolean({ message: '应为 true 或 false' })
  evidenceRequired?: boolean;

  @ApiPropertyOptional({ description: '违反此条会列入黑榜候选' })
  @IsOptional()
  @IsBoolean({ message: '应为 true 或 false' })
  blackList?: boolean;

  @ApiPropertyOptional({ description: '需要道德评议会表决：这条细则的记录由评议会投票决定是否通过' })
  @IsOptional()
  @IsBoolean({ message: '应为 true 或 false' })
  needsCouncil?: boolean;
}

export class CreateRuleDto extends RulePointsFields {
  @ApiPropertyOptional({ description: '村的细则；与 townshipId 二选一' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId?: number;

  @ApiPropertyOptional({ description: '乡镇的模板细则（供各村复制）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择乡镇' })
  @Min(1, { message: '请选择乡镇' })
  townshipId?: number;

  @ApiProperty({ example: 'ZZ-01' })
  @Transform(upperTrim)
  @IsString({ message: '请填写细则编号' })
  @Matches(/^[A-Z0-9-]{1,20}$/, { message: '细则编号应为 1–20 位字母、数字或横线' })
  code: string;

  @ApiProperty({ enum: RULE_CATEGORIES })
  @IsIn(RULE_CATEGORIES, { message: '请选择类别' })
  category: RuleCategory;

  @ApiProperty({ example: '参加志愿服务活动' })
  @Transform(trim)
  @IsString({ message: '请填写细则内容' })
  @IsNotEmpty({ message: '请填写细则内容' })
  @MaxLength(100, { message: '细则内容最多 100 个字' })
  title: string;
}

export class UpdateRuleDto extends RulePointsFields {
  @ApiPropertyOptional({ enum: RULE_CATEGORIES })
  @IsOmittable()
  @IsIn(RULE_CATEGORIES, { message: '请选择类别' })
  category?: RuleCategory;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: '细则内容应为文字' })
  @IsNotEmpty({ message: '细则内容不能为空' })
  @MaxLength(100, { message: '细则内容最多 100 个字' })
  title?: string;

  @ApiPropertyOptional({ description: 'false 停用（已有记录保留）' })
  @IsOmittable()
  @IsBoolean({ message: '应为 true 或 false' })
  active?: boolean;
}

export class RuleListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '村编号应为整数' })
  villageId?: number;

  @ApiPropertyOptional({ description: '乡镇模板' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '乡镇编号应为整数' })
  townshipId?: number;
}

export class CopyTemplatesDto {
  @ApiPropertyOptional({
    type: [Number],
    description: '要复制的模板细则；不填则复制全部（已有同编号的跳过）',
  })
  @IsOptional()
  @IsInt({ each: true, message: '模板编号应为整数' })
  ruleIds?: number[];
}

/** One rule as the list answers it (OpenAPI only; the answer is built by `ruleView`). */
class RuleItem {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) villageId: number | null;
  @ApiProperty({ nullable: true, type: Number }) townshipId: number | null;
  @ApiProperty({ example: 'FZ-03' }) code: string;
  @ApiProperty({ enum: RULE_CATEGORIES }) category: RuleCategory;
  @ApiProperty({ example: '聚众赌博' }) title: string;
  @ApiProperty({ nullable: true, type: Number, example: -20, description: '固定分值；区间分值时为 null' })
  points: number | null;
  @ApiProperty({ example: -20 }) minPoints: number;
  @ApiProperty({ example: -20 }) maxPoints: number;
  @ApiProperty({ description: '当前版本号' }) version: number;
  @ApiProperty({ nullable: true, type: Number, description: '每户每月/每年最多几次' }) capCount:
    number | null;
  @ApiProperty({ nullable: true, enum: ['month', 'year'] }) capPeriod: 'month' | 'year' | null;
  @ApiProperty({ description: '登记时必须附照片或说明' }) evidenceRequired: boolean;
  @ApiProperty({ description: '违反此条会列入黑榜候选' }) blackList: boolean;
  @ApiProperty({ description: '需要道德评议会表决' }) needsCouncil: boolean;
  @ApiProperty() active: boolean;
}

/** `GET /api/v1/rules?villageId=` with no login: the village's rules in force. */
export class PublicRuleList {
  @ApiProperty({ type: [RuleItem] }) items: RuleItem[];
  @ApiProperty() total: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-03-01',
    description: '清单施行日期（在用细则最新版本的日期）',
  })
  effectiveOn: string | null;
}
