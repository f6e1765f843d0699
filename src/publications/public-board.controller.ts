import { Controller, Get, Param, ParseIntPipe, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { signedPoints } from '../rules/rule-points.js';
import { GoodsService } from '../supermarket/goods.service.js';
import { Village } from '../villages/village.entity.js';
import { PublicationsService } from './publications.service.js';

/**
 * `/public/villages/:id`: the village's notice board, open to anyone with no login, printable on A4. It shows only
 * what is public (household, rule, points); never phones, notes or photos.
 */
@ApiExcludeController()
@Controller('public/villages')
export class PublicBoardController {
  constructor(
    private readonly publications: PublicationsService,
    private readonly goods: GoodsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Public()
  @Get(':id')
  @Render('public/board')
  async board(@Param('id', ParseIntPipe) id: number) {
    const village = await this.dataSource.getRepository(Village).findOneBy({ id });
    if (!village || !village.active) throw DomainError.notFound('村');
    const [open, catalogue] = await Promise.all([
      this.publications.openInVillage(id),
      this.goods.catalogue(id),
    ]);
    return {
      title: `${village.name}公示栏`,
      village,
      catalogue,
      publications: open.map((p) => ({
        ...p,
        rows: p.rows.map((r) => ({
          ...r,
          pointsLabel: signedPoints(r.points),
          objected: r.status === 'OBJECTED',
        })),
      })),
    };
  }
}
