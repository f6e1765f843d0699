import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { PublicationRecordsModule } from '../publications/publication-records.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { SupervisionApiController } from './supervision.api.controller.js';
import { SupervisionService } from './supervision.service.js';

/**
 * 村务监督委员会's opinions and the committee's answers. Its own module so that both 公示 (records) and the
 * supermarket's pages (redemptions, stock movements) can raise and answer them without a circle of modules.
 */
@Module({
  imports: [PublicationRecordsModule, HouseholdsModule, RulesModule, VillagesModule],
  controllers: [SupervisionApiController],
  providers: [SupervisionService],
  exports: [SupervisionService],
})
export class SupervisionModule {}
