import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { trim } from '../../common/transforms.js';

export class RaiseOpinionDto {
  @ApiProperty({ example: '这户那天在外地打工，请核实登记依据', maxLength: 500 })
  @Transform(trim)
  @IsString({ message: '请写明监督意见' })
  @IsNotEmpty({ message: '请写明监督意见' })
  @MaxLength(500, { message: '监督意见最多 500 个字' })
  text: string;
}

export class AnswerOpinionDto {
  @ApiProperty({ example: '已核实：有组长拍照为证，照常公示', maxLength: 500 })
  @Transform(trim)
  @IsString({ message: '请写明答复' })
  @IsNotEmpty({ message: '请写明答复' })
  @MaxLength(500, { message: '答复最多 500 个字' })
  text: string;
}
