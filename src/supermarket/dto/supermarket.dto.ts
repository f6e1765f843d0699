import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DATE_PATTERN } from '../../common/dates.js';
import { trim } from '../../common/transforms.js';

/** More than any village shelf holds or any household earns: a typo, not a quantity. */
const MAX_QUANTITY = 100_000;
const MAX_PRICE = 100_000;
/**
 * Pieces in one basket: with prices up to MAX_PRICE its total stays far below an integer column's 2^31 (50 lines of
 * 1,000 at 100,000 points was 5×10^9: a 500 on PostgreSQL instead of "not enough points").
 */
const MAX_BASKET_PIECES = 1000;

const basketPieces = (lines: unknown) =>
  Array.isArray(lines)
    ? lines.reduce<number>((sum, line) => {
        const q = Number((line as { quantity?: unknown } | null)?.quantity);
        return Number.isFinite(q) && q > 0 ? sum + q : sum;
      }, 0)
    : 0;

export class GoodsFieldsDto {
  @ApiProperty({ example: '洗衣粉' })
  @Transform(trim)
  @IsString({ message: '请填写商品名称' })
  @IsNotEmpty({ message: '请填写商品名称' })
  @MaxLength(40, { message: '名称最多 40 个字' })
  name: string;

  @ApiProperty({ example: '袋' })
  @Transform(trim)
  @IsString({ message: '请填写单位' })
  @IsNotEmpty({ message: '请填写单位，例如 袋、瓶、件' })
  @MaxLength(10, { message: '单位最多 10 个字' })
  unit: string;

  @ApiProperty({ example: 10, description: '兑换一个单位需要的积分' })
  @Type(() => Number)
  @IsInt({ message: '所需积分应为整数' })
  @Min(1, { message: '所需积分至少 1 分' })
  @Max(MAX_PRICE, { message: `所需积分不能超过 ${MAX_PRICE}` })
  pricePoints: number;

  @ApiPropertyOptional({ description: '库存不高于此数时提醒补货' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '提醒数量应为整数' })
  @Min(0, { message: '提醒数量不能为负数' })
  @Max(MAX_QUANTITY, { message: `提醒数量不能超过 ${MAX_QUANTITY}` })
  lowStockThreshold?: number;

  @ApiPropertyOptional({ description: '每户每月最多兑换几个；不填不限' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每月限兑数量应为整数' })
  @Min(1, { message: '每月限兑至少 1 个；不限请留空' })
  @Max(MAX_QUANTITY, { message: `每月限兑不能超过 ${MAX_QUANTITY}` })
  monthlyLimit?: number | null;
}

export class CreateGoodsDto extends GoodsFieldsDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择村' })
  @Min(1, { message: '请选择村' })
  villageId: number;

  @ApiPropertyOptional({ description: '建档时已有的库存' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '库存应为整数' })
  @Min(0, { message: '库存不能为负数' })
  @Max(MAX_QUANTITY, { message: `库存不能超过 ${MAX_QUANTITY}` })
  stock?: number;
}

export class UpdateGoodsDto extends GoodsFieldsDto {
  @ApiPropertyOptional({ description: 'false: 下架（历史记录保留）' })
  @IsOptional()
  @IsBoolean({ message: '上架状态应为 true 或 false' })
  active?: boolean;
}

export const STOCK_SOURCES = ['PURCHASE', 'DONATION'] as const;

export class StockInDto {
  @ApiProperty({ example: 20 })
  @Type(() => Number)
  @IsInt({ message: '入库数量应为整数' })
  @Min(1, { message: '入库数量至少 1' })
  @Max(MAX_QUANTITY, { message: `一次入库不能超过 ${MAX_QUANTITY}` })
  quantity: number;

  @ApiProperty({ enum: STOCK_SOURCES, description: 'PURCHASE 采购，DONATION 捐赠（须写明捐赠单位）' })
  @IsIn(STOCK_SOURCES, { message: '请选择来源：采购或捐赠' })
  source: (typeof STOCK_SOURCES)[number];

  @ApiPropertyOptional({ example: '县农商银行', description: '捐赠单位（帮扶单位），捐赠时必填' })
  @ValidateIf((o: StockInDto) => o.source === 'DONATION' || (o.donor !== undefined && o.donor !== ''))
  @Transform(trim)
  @IsString({ message: '请填写捐赠单位' })
  @IsNotEmpty({ message: '捐赠入库请写明捐赠单位' })
  @MaxLength(60, { message: '捐赠单位最多 60 个字' })
  donor?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '备注应为文字' })
  @MaxLength(200, { message: '备注最多 200 个字' })
  note?: string;
}

export class StockTakeDto {
  @ApiProperty({ description: '盘点实数：货架上实际数到的数量' })
  @Type(() => Number)
  @IsInt({ message: '实际数量应为整数' })
  @Min(0, { message: '实际数量不能为负数' })
  @Max(MAX_QUANTITY, { message: `实际数量不能超过 ${MAX_QUANTITY}` })
  counted: number;

  @ApiProperty({ example: '受潮损坏 2 袋' })
  @Transform(trim)
  @IsString({ message: '请填写调整原因' })
  @IsNotEmpty({ message: '请填写调整原因' })
  @MaxLength(200, { message: '原因最多 200 个字' })
  reason: string;
}

export class BasketLineDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择商品' })
  @Min(1, { message: '请选择商品' })
  goodsId: number;

  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsInt({ message: '数量应为整数' })
  @Min(1, { message: '数量至少 1' })
  @Max(1000, { message: '一次最多兑换 1000 个' })
  quantity: number;
}

export class RedeemDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: '请选择农户' })
  @Min(1, { message: '请选择农户' })
  householdId: number;

  @ApiProperty({ type: [BasketLineDto] })
  @IsArray({ message: '请选择要兑换的商品' })
  @ArrayMinSize(1, { message: '请至少选择一件商品' })
  @ArrayMaxSize(50, { message: '一张兑换单最多 50 种商品' })
  @ValidateBy(
    { name: 'basketPieces', validator: { validate: (lines) => basketPieces(lines) <= MAX_BASKET_PIECES } },
    { message: `一张兑换单合计最多 ${MAX_BASKET_PIECES} 件` },
  )
  @ValidateNested({ each: true })
  @Type(() => BasketLineDto)
  items: BasketLineDto[];

  @ApiProperty({ description: '每次提交一个新的随机值；重复提交同一个值只兑换一次' })
  @Transform(trim)
  @IsString({ message: '缺少幂等键，请刷新页面后重试' })
  @Matches(/^[A-Za-z0-9_.:-]{8,80}$/, { message: '幂等键应为 8～80 位字母、数字或 - _ . :' })
  idempotencyKey: string;
}

export class CancelRedemptionDto {
  @ApiPropertyOptional({ example: '农户要求退换' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '原因应为文字' })
  @MaxLength(200, { message: '原因最多 200 个字' })
  reason?: string;
}

/** The page asks for a reason every time; the API (whose contract has no body) takes one when given. */
export class CancelRedemptionFormDto {
  @Transform(trim)
  @IsString({ message: '请填写撤销原因' })
  @IsNotEmpty({ message: '请填写撤销原因' })
  @MaxLength(200, { message: '原因最多 200 个字' })
  reason: string;
}

export class PeriodQuery {
  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '日期应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: '日期应为 YYYY-MM-DD' })
  to?: string;
}

export class ResetSettingsDto {
  @ApiProperty()
  @IsBoolean({ message: '请选择是否清零' })
  resetEnabled: boolean;

  @ApiProperty({ example: '12-31', description: '每年的哪一天清零（月-日）' })
  @Transform(trim)
  @Matches(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '清零日期应为 月-日，例如 12-31' })
  resetOn: string;

  @ApiProperty({ example: 50, description: '清零时每户保留的可用积分' })
  @Type(() => Number)
  @IsInt({ message: '保留积分应为整数' })
  @Min(0, { message: '保留积分不能为负数' })
  @Max(1_000_000, { message: '保留积分过大' })
  resetKeep: number;
}
