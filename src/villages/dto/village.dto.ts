import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { IsOmittable } from '../../common/validation.js';
import { trim, upperTrim, trimEach } from '../../common/transforms.js';

export class CreateVillageDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择所属乡镇' })
  @Min(1, { message: '请选择所属乡镇' })
  townshipId: number;

  @ApiProperty({ example: '甲村' })
  @Transform(trim)
  @IsString({ message: '请填写村名' })
  @IsNotEmpty({ message: '请填写村名' })
  @MaxLength(60, { message: '村名最多 60 个字' })
  name: string;

  @ApiProperty({ example: 'JC', description: '2–12 位字母或数字，唯一；户号以它开头' })
  @Transform(upperTrim)
  @IsString({ message: '请填写村代码' })
  @Matches(/^[A-Z0-9]{2,12}$/, { message: '村代码应为 2–12 位字母或数字' })
  code: string;

  @ApiPropertyOptional({ type: [String], example: ['第一村民小组', '第二村民小组'] })
  @IsOptional()
  @Transform(trimEach)
  @IsArray({ message: '村民小组应为名称列表' })
  @ArrayMaxSize(100, { message: '村民小组最多 100 个' })
  @ArrayUnique({ message: '村民小组名称不能重复' })
  @IsString({ each: true, message: '村民小组名称应为文字' })
  @IsNotEmpty({ each: true, message: '村民小组名称不能为空' })
  @MaxLength(40, { each: true, message: '村民小组名称最多 40 个字' })
  groups?: string[];
}

export class UpdateVillageDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: '村名应为文字' })
  @IsNotEmpty({ message: '村名不能为空' })
  @MaxLength(60, { message: '村名最多 60 个字' })
  name?: string;

  @ApiPropertyOptional({ description: 'false 停用（不删除）' })
  @IsOmittable()
  @IsBoolean({ message: '启用状态应为 true 或 false' })
  active?: boolean;
}

export class GroupDto {
  @ApiProperty({ example: '第三村民小组' })
  @Transform(trim)
  @IsString({ message: '请填写小组名称' })
  @IsNotEmpty({ message: '请填写小组名称' })
  @MaxLength(40, { message: '小组名称最多 40 个字' })
  name: string;
}

export class UpdateGroupDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: '小组名称应为文字' })
  @IsNotEmpty({ message: '小组名称不能为空' })
  @MaxLength(40, { message: '小组名称最多 40 个字' })
  name?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean({ message: '启用状态应为 true 或 false' })
  active?: boolean;
}

export class VillageListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '乡镇编号应为整数' })
  townshipId?: number;
}
