import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { LOAN_BANDS, LOAN_OUTCOMES, type LoanBand, type LoanOutcome } from '../consent-code.js';

export class LoanOutcomeDto {
  @ApiProperty({ example: '402718', description: '农户给的 6 位授权码（有效、未撤销、本乡镇的农户）' })
  @Transform(trim)
  @IsString({ message: '请输入农户给您的授权码' })
  @IsNotEmpty({ message: '请输入农户给您的授权码' })
  @MaxLength(20, { message: '授权码是 6 位数字' })
  consentCode: string;

  @ApiProperty({ enum: LOAN_OUTCOMES, description: 'GRANTED 已放贷，DECLINED 未放贷' })
  @IsIn(LOAN_OUTCOMES, { message: '请选择已放贷或未放贷' })
  outcome: LoanOutcome;

  @ApiProperty({ enum: LOAN_BANDS, description: '贷款金额档（申请或放贷的金额）' })
  @IsIn(LOAN_BANDS, { message: '请选择金额档' })
  band: LoanBand;
}
