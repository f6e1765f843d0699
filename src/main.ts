import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { RoutedExpressAdapter } from './common/routed-express-adapter.js';
import { loadSettings, SettingsError } from './config/settings.js';
import { holdServerLock } from './database/server-lock.js';

async function bootstrap() {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // `npm run restore` refuses while this file names a live server (a file left by a killed one is ignored).
  holdServerLock(settings.dataDir);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forSettings(settings),
    new RoutedExpressAdapter(),
    { bodyParser: false },
  );
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(settings.port);
  new Logger('乡村积分').log(
    `已启动：http://localhost:${settings.port}  (数据库 ${settings.isPostgres ? 'PostgreSQL' : settings.sqlitePath})`,
  );
}

void bootstrap();
