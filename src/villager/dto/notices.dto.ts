import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, Max, Min } from 'class-validator';

export class MarkNoticesReadDto {
  @ApiProperty({ type: [Number], example: [12, 13], description: '已读的通知编号（至多 500 个）' })
  @IsArray({ message: '请给出通知编号的列表' })
  @ArrayNotEmpty({ message: '请选择要标为已读的通知' })
  @ArrayMaxSize(500, { message: '一次最多标记 500 条通知' })
  @IsInt({ each: true, message: '通知编号必须是整数' })
  @Min(1, { each: true, message: '通知编号必须是正整数' })
  @Max(2147483647, { each: true, message: '通知编号超出范围' })
  ids: number[];
}
