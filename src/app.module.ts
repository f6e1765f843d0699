import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditLogModule } from './audit/audit-log.module.js';
import { AuditModule } from './audit/audit.module.js';
import { useSecretHashCost } from './auth/password.js';
import { NoticesModule } from './notices/notices.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BankModule } from './bank/bank.module.js';
import { CertificatesModule } from './certificates/certificates.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { ConfigModule } from './config/config.module.js';
import { CreditModule } from './credit/credit.module.js';
import { Settings } from './config/settings.js';
import { DatabaseModule } from './database/database.module.js';
import { HomeModule } from './home/home.module.js';
import { GridsModule } from './grids/grids.module.js';
import { HonoursModule } from './honours/honours.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { HouseholdsModule } from './households/households.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { PartyModule } from './party/party.module.js';
import { PassbookModule } from './passbook/passbook.module.js';
import { PublicationsModule } from './publications/publications.module.js';
import { RulesModule } from './rules/rules.module.js';
import { ScoringModule } from './scoring/scoring.module.js';
import { SeedsModule } from '../seeds/seeds.module.js';
import { IntegrityModule } from './integrity/integrity.module.js';
import { RankingsModule } from './rankings/rankings.module.js';
import { SupermarketModule } from './supermarket/supermarket.module.js';
import { TownshipModule } from './township/township.module.js';
import { TownshipsModule } from './townships/townships.module.js';
import { UsersModule } from './users/users.module.js';
import { VillagerModule } from './villager/villager.module.js';
import { VillagesModule } from './villages/villages.module.js';
import { VolunteeringModule } from './volunteering/volunteering.module.js';

@Module({})
export class AppModule {
  /** The whole app for these settings: main.ts and the tests build it the same way. */
  static forSettings(settings: Settings): DynamicModule {
    useSecretHashCost(settings.secretHashCost);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forSettings(settings),
        ScheduleModule.forRoot(),
        DatabaseModule,
        AuditModule,
        NoticesModule,
        AuditLogModule,
        AuthModule,
        LedgerModule,
        PassbookModule,
        TownshipsModule,
        VillagesModule,
        UsersModule,
        HouseholdsModule,
        RulesModule,
        ScoringModule,
        PublicationsModule,
        SupermarketModule,
        RankingsModule,
        HonoursModule,
        GridsModule,
        VolunteeringModule,
        InspectionsModule,
        PartyModule,
        IntegrityModule,
        TownshipModule,
        CreditModule,
        CertificatesModule,
        BankModule,
        HomeModule,
        VillagerModule,
        SeedsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
