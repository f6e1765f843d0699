import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Settings } from '../config/settings.js';
import { dataSourceOptions } from './data-source.js';
import { ReadCache } from './read-cache.js';
import { bindWholeNumbers } from './sqlite-parameters.js';
import { Transactions } from './transactions.js';
import { VillageChanges } from './village-changes.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Settings],
      useFactory: (settings: Settings) => dataSourceOptions(settings),
      dataSourceFactory: async (options) =>
        bindWholeNumbers(await new DataSource(options as DataSourceOptions).initialize()),
    }),
  ],
  providers: [Transactions, ReadCache, VillageChanges],
  exports: [Transactions, ReadCache],
})
export class DatabaseModule {}
