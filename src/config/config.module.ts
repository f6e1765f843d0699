import { DynamicModule, Global, Module } from '@nestjs/common';
import { Settings } from './settings.js';

/** Makes the validated Settings injectable everywhere (`constructor(private settings: Settings)`). */
@Global()
@Module({})
export class ConfigModule {
  static forSettings(settings: Settings): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: Settings, useValue: settings }],
      exports: [Settings],
    };
  }
}
