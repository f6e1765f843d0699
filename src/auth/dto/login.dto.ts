import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString({ message: '请填写用户名' })
  @IsNotEmpty({ message: '请填写用户名' })
  @MaxLength(40, { message: '用户名最多 40 位' })
  username: string;

  @ApiProperty()
  @IsString({ message: '请填写密码' })
  @IsNotEmpty({ message: '请填写密码' })
  @MaxLength(128, { message: '密码最多 128 位' })
  password: string;
}

export class VillagerLoginDto {
  @ApiProperty({ example: 'JC-0001', description: '门牌上的户号' })
  @IsString({ message: '请填写户号' })
  @IsNotEmpty({ message: '请填写户号' })
  @MaxLength(30, { message: '户号最多 30 位' })
  householdCode: string;

  @ApiProperty({ example: '123456' })
  @IsString({ message: '请填写密码(PIN)' })
  @IsNotEmpty({ message: '请填写密码(PIN)' })
  @MaxLength(32, { message: '密码(PIN)最多 32 位' })
  pin: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: '请填写当前密码' })
  @IsNotEmpty({ message: '请填写当前密码' })
  @MaxLength(128, { message: '密码最多 128 位' })
  currentPassword: string;

  @ApiProperty({ minLength: 8 })
  @IsString({ message: '新密码至少 8 位' })
  @MinLength(8, { message: '新密码至少 8 位' })
  @MaxLength(128, { message: '密码最多 128 位' })
  newPassword: string;
}
