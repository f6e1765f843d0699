import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim, upperTrim } from '../../common/transforms.js';
import { PIN_PATTERN, PIN_RULE } from '../../households/pin.js';
import { PARTY_CATEGORIES, type PartyCategory } from '../party-rule.entity.js';

const DATE = '日期应为 YYYY-MM-DD，例如 2026-11-22';
const POINTS = '积分应为 -1000 到 1000 的整数';
/** An empty form field is "not given". */
const blankAsMissing = ({ value }: { value: unknown }) =>
  value === '' || value === null ? undefined : value;

export class RegisterPartyMemberDto {
  @ApiProperty({ description: '家庭成员的编号（该成员须已标为党员）' })
  @Type(() => Number)
  @IsInt({ message: '请选择标为党员的家庭成员' })
  @Min(1, { message: '请选择标为党员的家庭成员' })
  @Max(2147483647, { message: '请选择标为党员的家庭成员' })
  memberId: number;

  @ApiProperty({ example: '246810', description: '党员本人登录用的密码(PIN)，4–8 位数字' })
  @Transform(trim)
  @IsString({ message: PIN_RULE })
  @Matches(PIN_PATTERN, { message: PIN_RULE })
  pin: string;
}

export class PartyRuleDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ enum: PARTY_CATEGORIES })
  @IsIn(PARTY_CATEGORIES, { message: '请选择类别：组织生活、履行义务、服务群众或发挥作用' })
  category: PartyCategory;

  @ApiProperty({ example: '按时参加“三会一课”', maxLength: 60 })
  @Transform(trim)
  @IsString({ message: '请填写细则内容' })
  @IsNotEmpty({ message: '请填写细则内容' })
  @MaxLength(60, { message: '细则内容最多 60 个字' })
  title: string;

  @ApiProperty({ example: 5 })
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  points: number;

  @ApiPropertyOptional({ description: '可在此区间内定分；不填为固定分值' })
  @Transform(blankAsMissing)
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  minPoints?: number;

  @ApiPropertyOptional()
  @Transform(blankAsMissing)
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  maxPoints?: number;
}

export class PartySettingsDto {
  @ApiPropertyOptional({ example: 5, description: '每月基础分；不填为不设' })
  @Transform(blankAsMissing)
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每月基础分应为 0–100 的整数' })
  @Min(0, { message: '每月基础分应为 0–100 的整数' })
  @Max(100, { message: '每月基础分应为 0–100 的整数' })
  monthlyBase?: number;

  @ApiProperty({ example: '20,40,60,80,100', description: '一至五星所需的年度积分，由低到高，用逗号分开' })
  @Transform(trim)
  @IsString({ message: '星级门槛应为 5 个由低到高的整数，用逗号分开' })
  @Matches(/^\d{1,5}(,\d{1,5}){4}$/, { message: '星级门槛应为 5 个由低到高的整数，用逗号分开' })
  starThresholds: string;
}

export class PartyRecordDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择党员' })
  @Min(1, { message: '请选择党员' })
  @Max(2147483647, { message: '请选择党员' })
  partyMemberId: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择细则' })
  @Min(1, { message: '请选择细则' })
  @Max(2147483647, { message: '请选择细则' })
  ruleId: number;

  @ApiProperty({ example: '2026-12-01' })
  @Matches(DATE_PATTERN, { message: DATE })
  occurredOn: string;

  @ApiPropertyOptional({ description: '在细则的分值区间内；不填按细则分值' })
  @Transform(blankAsMissing)
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: POINTS })
  @Min(-1000, { message: POINTS })
  @Max(1000, { message: POINTS })
  points?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(trim)
  @IsOptional()
  @IsString({ message: '说明应为文字' })
  @MaxLength(200, { message: '说明最多 200 个字' })
  note?: string;
}

export class PartyRejectDto {
  @ApiProperty({ maxLength: 200 })
  @Transform(trim)
  @IsString({ message: '请填写退回的理由' })
  @IsNotEmpty({ message: '请填写退回的理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason: string;
}

export class PartyPublicationDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ example: 5, description: '公示天数' })
  @Type(() => Number)
  @IsInt({ message: '公示天数应为 0–15 的整数' })
  @Min(0, { message: '公示天数应为 0–15 的整数' })
  @Max(15, { message: '公示天数应为 0–15 的整数' })
  days: number;
}

export class PartyObjectionDto {
  @ApiProperty({ maxLength: 200 })
  @Transform(trim)
  @IsString({ message: '请填写异议的理由' })
  @IsNotEmpty({ message: '请填写异议的理由' })
  @MaxLength(200, { message: '理由最多 200 个字' })
  reason: string;
}

export class PartyResolveDto {
  @ApiProperty({ enum: ['UPHOLD', 'DISMISS'] })
  @IsIn(['UPHOLD', 'DISMISS'], { message: '请选择：异议成立（撤回记录）或不成立' })
  decision: 'UPHOLD' | 'DISMISS';

  @ApiProperty({ maxLength: 200, description: '答复，提出异议的党员会看到' })
  @Transform(trim)
  @IsString({ message: '请填写答复' })
  @IsNotEmpty({ message: '请填写答复' })
  @MaxLength(200, { message: '答复最多 200 个字' })
  reason: string;
}

export class CommitmentDto {
  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt({ message: '年份应为 2000–2100 的整数' })
  @Min(2000, { message: '年份应为 2000–2100 的整数' })
  @Max(2100, { message: '年份应为 2000–2100 的整数' })
  year: number;

  @ApiProperty({ example: '帮扶两户困难群众', maxLength: 200 })
  @Transform(trim)
  @IsString({ message: '请填写承诺的内容' })
  @IsNotEmpty({ message: '请填写承诺的内容' })
  @MaxLength(200, { message: '承诺最多 200 个字' })
  promise: string;
}

export class FulfilmentDto {
  @ApiProperty({ example: '已帮两户修缮院墙', maxLength: 200 })
  @Transform(trim)
  @IsString({ message: '请填写践诺的情况' })
  @IsNotEmpty({ message: '请填写践诺的情况' })
  @MaxLength(200, { message: '践诺情况最多 200 个字' })
  fulfilment: string;
}

export class PartyLinkDto {
  @ApiProperty({ example: 'TY-0001', description: '联系农户的户号' })
  @Transform(upperTrim)
  @IsString({ message: '请填写联系农户的户号' })
  @IsNotEmpty({ message: '请填写联系农户的户号' })
  @MaxLength(40, { message: '户号最多 40 个字' })
  householdCode: string;
}

export class PartyBaseDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiProperty({ example: '2026-11' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份应为 YYYY-MM，例如 2026-11' })
  month: string;
}

export class PartyPeriodQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiPropertyOptional({ example: '2026-11', description: '月份 YYYY-MM 或年份 YYYY；不填为今年' })
  @IsOptional()
  @Matches(/^\d{4}(-(0[1-9]|1[0-2]))?$/, { message: '期间应为年份 YYYY 或月份 YYYY-MM' })
  period?: string;
}
