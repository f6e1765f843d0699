import { Module } from '@nestjs/common';
import { PublicationRecordsModule } from '../publications/publication-records.module.js';
import { SupervisionApiController } from './supervision.api.controller.js';
import { SupervisionService } from './supervision.service.js';

/**
 * 村务监督委员会's opinions and the committee's answers. Its own module so that both 公示 (records) and the
 * supermarket's pages (redemptions, stock movements) can raise and answer them without a circle of modules.
 */
@Module({
  imports: [PublicationRecordsModule],
  controllers: [SupervisionApiController],
  providers: [SupervisionService],
  exports: [SupervisionService],
})
export class SupervisionModule {}
