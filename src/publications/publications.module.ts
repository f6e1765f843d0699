import { Module } from '@nestjs/common';
import { PublicationsApiController } from './publications.api.controller.js';
import { AUTO_CLOSE_INTERVAL_MS, PublicationsScheduler } from './publications.scheduler.js';
import { PublicationsService } from './publications.service.js';

@Module({
  controllers: [PublicationsApiController],
  providers: [
    PublicationsService,
    PublicationsScheduler,
    { provide: AUTO_CLOSE_INTERVAL_MS, useValue: 30_000 },
  ],
  exports: [PublicationsService, PublicationsScheduler],
})
export class PublicationsModule {}
