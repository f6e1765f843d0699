import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=1&pageSize=50` (max 200), as API.md fixes it. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码必须是正整数' })
  @Min(1, { message: '页码必须是正整数' })
  page = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每页条数必须是 1–200 的整数' })
  @Min(1, { message: '每页条数必须是 1–200 的整数' })
  @Max(200, { message: '每页条数必须是 1–200 的整数' })
  pageSize = 50;
}

export interface Paged<T> {
  items: T[];
  total: number;
}

/** What the pagination partial needs: page links that keep the other query parameters. */
export function pager(page: number, pageSize: number, total: number, query: Record<string, unknown> = {}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number) =>
    '?' +
    new URLSearchParams({
      ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      page: String(p),
    });
  return {
    page,
    pages,
    total,
    prev: page > 1 ? link(page - 1) : null,
    next: page < pages ? link(page + 1) : null,
  };
}
