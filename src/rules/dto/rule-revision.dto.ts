import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim } from '../../common/transforms.js';

export const REVISION_OPS = ['ADD', 'CHANGE', 'RETIRE'] as const;

export class RuleChangeDto {
  @ApiProperty({ enum: REVISION_OPS, description: 'ADD 新增细则；CHANGE 修改（分值、内容等）；RETIRE 停用' })
  @IsIn(REVISION_OPS, { message: '修改方式应为 ADD（新增）、CHANGE（修改）或 RETIRE（停用）' })
  op: (typeof REVISION_OPS)[number];

  @ApiPropertyOptional({ description: 'CHANGE、RETIRE：本村的哪条细则' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择细则' })
  @Min(1, { message: '请选择细则' })
  ruleId?: number;

  @ApiPropertyOptional({
    description:
      'ADD：新细则的字段（同 POST /rules，不含 villageId）；CHANGE：要改的字段（同 PATCH /rules/:id，不含 active）',
    example: { code: 'DZ-09', category: '德治', title: '赡养老人表现突出', points: 10 },
  })
  @IsOptional()
  @IsObject({ message: '细则内容应为对象' })
  rule?: Record<string, unknown>;
}

export class CreateRuleRevisionDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ type: [RuleChangeDto] })
  @IsArray({ message: '请至少填写一条修改' })
  @ArrayMinSize(1, { message: '请至少填写一条修改' })
  @ArrayMaxSize(100, { message: '一次修订最多 100 条修改' })
  @ValidateNested({ each: true })
  @Type(() => RuleChangeDto)
  changes: RuleChangeDto[];
}

const COUNT = '人数应为 0–1000 的整数';

export class AdoptRuleRevisionDto {
  @ApiProperty({ example: '2026-11-28', description: '村民代表会议的日期' })
  @Matches(DATE_PATTERN, { message: '会议日期应为 YYYY-MM-DD，例如 2026-11-28' })
  meetingOn: string;

  @ApiProperty({ description: '到会代表人数' })
  @Type(() => Number)
  @IsInt({ message: '到会人数应为 1–1000 的整数' })
  @Min(1, { message: '到会人数应为 1–1000 的整数' })
  @Max(1000, { message: '到会人数应为 1–1000 的整数' })
  present: number;

  @ApiProperty({ description: '赞成票' })
  @Type(() => Number)
  @IsInt({ message: COUNT })
  @Min(0, { message: COUNT })
  @Max(1000, { message: COUNT })
  votesFor: number;

  @ApiProperty({ description: '反对票' })
  @Type(() => Number)
  @IsInt({ message: COUNT })
  @Min(0, { message: COUNT })
  @Max(1000, { message: COUNT })
  votesAgainst: number;

  @ApiProperty({ description: '弃权票' })
  @Type(() => Number)
  @IsInt({ message: COUNT })
  @Min(0, { message: COUNT })
  @Max(1000, { message: COUNT })
  votesAbstain: number;

  @ApiProperty({ description: '会议记录（文字）' })
  @Transform(trim)
  @IsString({ message: '请填写会议记录' })
  @IsNotEmpty({ message: '请填写会议记录' })
  @MaxLength(4000, { message: '会议记录最多 4000 个字' })
  minutes: string;
}

export class DecideRuleRevisionDto {
  @ApiPropertyOptional({ description: '备案或退回的意见（退回时请写明原因）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '意见应为文字' })
  @MaxLength(200, { message: '意见最多 200 个字' })
  comment?: string;
}

/** The answer to each step (OpenAPI only). */
export class RuleRevisionStatus {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['DRAFT', 'ADOPTED', 'SUBMITTED', 'FILED', 'RETURNED'] }) status: string;
}

/** One change of a revision as stored (OpenAPI only). */
export class RuleRevisionChangeView {
  @ApiProperty({ enum: REVISION_OPS }) op: string;
  @ApiPropertyOptional({ description: 'CHANGE、RETIRE：本村的哪条细则' }) ruleId?: number;
  @ApiProperty({ description: '细则编号' }) code: string;
  @ApiProperty({ description: '细则内容（起草时）' }) title: string;
  @ApiPropertyOptional({
    description: 'CHANGE、RETIRE：起草时细则的内容和分值 {title, minPoints, maxPoints}',
  })
  before?: object;
  @ApiPropertyOptional({ description: 'ADD：新细则的各项；CHANGE：要改的字段' }) rule?: object;
}

/** A revision with its changes, the 村民代表会议's adoption and the township's filing (OpenAPI only). */
export class RuleRevisionView {
  @ApiProperty() id: number;
  @ApiProperty() villageId: number;
  @ApiProperty({ description: '村名' }) villageName: string;
  @ApiProperty({ enum: ['DRAFT', 'ADOPTED', 'SUBMITTED', 'FILED', 'RETURNED'] }) status: string;
  @ApiProperty({ type: [RuleRevisionChangeView] }) changes: RuleRevisionChangeView[];
  @ApiProperty({ nullable: true, example: '2026-11-28', description: '村民代表会议的日期（表决前为 null）' })
  meetingOn: string | null;
  @ApiProperty({ nullable: true, description: '到会代表人数' }) present: number | null;
  @ApiProperty({ nullable: true }) votesFor: number | null;
  @ApiProperty({ nullable: true }) votesAgainst: number | null;
  @ApiProperty({ nullable: true }) votesAbstain: number | null;
  @ApiProperty({ nullable: true, description: '会议记录' }) minutes: string | null;
  @ApiProperty({ nullable: true, description: '报乡镇的时间' }) submittedAt: Date | null;
  @ApiProperty({ nullable: true, description: '乡镇备案或退回的时间' }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, description: '乡镇备案或退回的意见' }) comment: string | null;
  @ApiProperty() createdAt: Date;
}

export class RuleRevisionList {
  @ApiProperty({ type: [RuleRevisionView] }) items: RuleRevisionView[];
  @ApiProperty() total: number;
}
