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
  MinLength,
} from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../../access/role.js';
import { trim, upperTrim } from '../../common/transforms.js';

/** A form's checkbox ('on', 'true') or a JSON boolean. */
const checkbox = ({ value }: { value: unknown }) =>
  value === 'on' || value === 'true' ? true : value === 'false' || value === '' ? false : value;

const PASSWORD_RULE = '密码至少 8 位';

/**
 * The household a village account states as its own (or that it has none in the village): the own-household rules
 * (nobody records, reviews or redeems for their own household) apply through it. Shared by creating and editing.
 */
export class StatedHouseholdDto {
  @ApiPropertyOptional({
    description:
      '本人所在的户：不能为自家登记、审核积分或兑换。村级账号须填写此项、householdCode 或 noHousehold（三选一）',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '所在户应为户的编号' })
  @Min(1, { message: '所在户应为户的编号' })
  @Max(2147483647, { message: '所在户应为户的编号' })
  householdId?: number;

  @ApiPropertyOptional({ description: '本人所在户的户号（页面填写）' })
  @IsOptional()
  @Transform(upperTrim)
  @IsString({ message: '户号应为文字' })
  @MaxLength(40, { message: '户号最多 40 个字' })
  householdCode?: string;

  @ApiPropertyOptional({ description: 'true：本人在本村没有户' })
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: '“本人在本村没有户”应为 true 或 false' })
  noHousehold?: boolean;
}

export class UserListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '村编号应为整数' })
  villageId?: number;
}

export class CreateUserDto extends StatedHouseholdDto {
  @ApiProperty({ example: 'jc_scorer1' })
  @Transform(trim)
  @IsString({ message: '请填写用户名' })
  @Matches(/^[A-Za-z0-9_.-]{3,40}$/, { message: '用户名应为 3–40 位字母、数字、下划线、点或横线' })
  username: string;

  @ApiProperty({ minLength: 8 })
  @IsString({ message: PASSWORD_RULE })
  @MinLength(8, { message: PASSWORD_RULE })
  @MaxLength(128, { message: '密码最多 128 位' })
  password: string;

  @ApiProperty({ example: '李组长' })
  @Transform(trim)
  @IsString({ message: '请填写姓名' })
  @IsNotEmpty({ message: '请填写姓名' })
  @MaxLength(40, { message: '姓名最多 40 个字' })
  displayName: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES, { message: '请选择角色' })
  role: StaffRole;

  @ApiPropertyOptional({ description: '乡镇审核员必填' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择乡镇' })
  @Min(1, { message: '请选择乡镇' })
  townshipId?: number;

  @ApiPropertyOptional({ description: '村两委、组长/网格员、超市管理员必填' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId?: number;
}

export class UpdateUserDto extends StatedHouseholdDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '姓名应为文字' })
  @IsNotEmpty({ message: '姓名不能为空' })
  @MaxLength(40, { message: '姓名最多 40 个字' })
  displayName?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES, { message: '请选择角色' })
  role?: StaffRole;

  @ApiPropertyOptional({ description: '重设密码：该账号的所有登录随即失效' })
  @IsOptional()
  @IsString({ message: PASSWORD_RULE })
  @MinLength(8, { message: PASSWORD_RULE })
  @MaxLength(128, { message: '密码最多 128 位' })
  password?: string;

  @ApiPropertyOptional({ description: 'false 停用：不能再登录，记录保留' })
  @IsOptional()
  @IsBoolean({ message: '启用状态应为 true 或 false' })
  active?: boolean;
}
