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
import { IsOmittable } from '../../common/validation.js';
import { trim } from '../../common/transforms.js';
import { PIN_PATTERN, PIN_RULE } from '../pin.js';

export class CreateHouseholdDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择村民小组' })
  @Min(1, { message: '请选择村民小组' })
  groupId?: number;

  @ApiProperty({ example: '李大山' })
  @Transform(trim)
  @IsString({ message: '请填写户主姓名' })
  @IsNotEmpty({ message: '请填写户主姓名' })
  @MaxLength(40, { message: '户主姓名最多 40 个字' })
  headName: string;

  @ApiProperty({ example: 4 })
  @Type(() => Number)
  @IsInt({ message: '家庭人口应为 1–99 的整数' })
  @Min(1, { message: '家庭人口应为 1–99 的整数' })
  @Max(99, { message: '家庭人口应为 1–99 的整数' })
  memberCount: number;

  @ApiPropertyOptional({ example: '13800001111' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '电话应为数字' })
  @Matches(/^[0-9+\- ]{5,20}$/, { message: '电话应为 5–20 位数字' })
  phone?: string;

  @ApiProperty({ example: '123456', description: '村民登录用；只保存其哈希' })
  @IsString({ message: PIN_RULE })
  @Matches(PIN_PATTERN, { message: PIN_RULE })
  pin: string;
}

export class UpdateHouseholdDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择村民小组' })
  @Min(1, { message: '请选择村民小组' })
  groupId?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: '户主姓名应为文字' })
  @IsNotEmpty({ message: '户主姓名不能为空' })
  @MaxLength(40, { message: '户主姓名最多 40 个字' })
  headName?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Type(() => Number)
  @IsInt({ message: '家庭人口应为 1–99 的整数' })
  @Min(1, { message: '家庭人口应为 1–99 的整数' })
  @Max(99, { message: '家庭人口应为 1–99 的整数' })
  memberCount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '电话应为数字' })
  @Matches(/^[0-9+\- ]{5,20}$/, { message: '电话应为 5–20 位数字' })
  phone?: string;
}

export class PinDto {
  @ApiProperty({ example: '654321' })
  @IsString({ message: PIN_RULE })
  @Matches(PIN_PATTERN, { message: PIN_RULE })
  pin: string;
}

export class HouseholdListQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  villageId: number;

  @ApiPropertyOptional({ description: '户主姓名、户号或电话的一部分' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '搜索内容应为文字' })
  @MaxLength(40, { message: '搜索内容最多 40 个字' })
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '村民小组应为整数' })
  groupId?: number;
}

export class MoveOutDto {
  @ApiPropertyOptional({ example: '2026-11-22', description: '迁出日期，默认今天' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '迁出日期应为 YYYY-MM-DD' })
  movedOutOn?: string;
}

export const RELATIONS = ['户主', '配偶', '子女', '父母', '孙辈', '兄弟姐妹', '其他'] as const;

export class MemberDto {
  @ApiProperty({ example: '李小花' })
  @Transform(trim)
  @IsString({ message: '请填写姓名' })
  @IsNotEmpty({ message: '请填写姓名' })
  @MaxLength(40, { message: '姓名最多 40 个字' })
  name: string;

  @ApiProperty({ enum: RELATIONS })
  @IsIn(RELATIONS, { message: '请选择与户主的关系' })
  relation: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: '是否党员应为 true 或 false' })
  partyMember?: boolean;
}

/** 亲属代办: the person a household names to act for it, with a PIN of their own. */
export class ProxyDto {
  @ApiProperty({ example: '李小红' })
  @Transform(trim)
  @IsString({ message: '请填写代办人的姓名' })
  @IsNotEmpty({ message: '请填写代办人的姓名' })
  @MaxLength(40, { message: '姓名最多 40 个字' })
  name: string;

  @ApiProperty({ example: '女儿' })
  @Transform(trim)
  @IsString({ message: '请填写代办人与本户的关系，如 女儿、邻居' })
  @IsNotEmpty({ message: '请填写代办人与本户的关系，如 女儿、邻居' })
  @MaxLength(20, { message: '关系最多 20 个字' })
  relation: string;

  @ApiProperty({ example: '246802', description: '代办人自己的密码(PIN)，不能与本户的相同' })
  @IsString({ message: PIN_RULE })
  @Matches(PIN_PATTERN, { message: PIN_RULE })
  pin: string;
}
