import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation.js';
import { trim, upperTrim } from '../../common/transforms.js';

export class CreateTownshipDto {
  @ApiProperty({ example: '青山镇' })
  @Transform(trim)
  @IsString({ message: '请填写乡镇名称' })
  @IsNotEmpty({ message: '请填写乡镇名称' })
  @MaxLength(60, { message: '乡镇名称最多 60 个字' })
  name: string;

  @ApiProperty({ example: 'QS', description: '2–12 位字母或数字，唯一' })
  @Transform(upperTrim)
  @IsString({ message: '请填写乡镇代码' })
  @Matches(/^[A-Z0-9]{2,12}$/, { message: '乡镇代码应为 2–12 位字母或数字' })
  code: string;
}

export class UpdateTownshipDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: '乡镇名称应为文字' })
  @IsNotEmpty({ message: '乡镇名称不能为空' })
  @MaxLength(60, { message: '乡镇名称最多 60 个字' })
  name?: string;

  @ApiPropertyOptional({ description: 'false 停用（不删除）' })
  @IsOmittable()
  @IsBoolean({ message: '启用状态应为 true 或 false' })
  active?: boolean;
}
