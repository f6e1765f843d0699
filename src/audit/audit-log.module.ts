import { Module } from '@nestjs/common';
import { VillagesModule } from '../villages/villages.module.js';
import { AuditLogController } from './audit-log.controller.js';
import { AuditLogService } from './audit-log.service.js';

/**
 * 操作日志, the page and the API. Apart from the global AuditModule that every feature writes through: the page asks
 * the villages for their names, and the villages write to the audit log.
 */
@Module({ imports: [VillagesModule], controllers: [AuditLogController], providers: [AuditLogService] })
export class AuditLogModule {}
