import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import hbs from 'hbs';
import { AuthService } from './auth/auth.service.js';
import { authenticate } from './auth/authenticate.middleware.js';
import { boundedInput } from './common/bounded-input.middleware.js';
import { JSON_BODY_LIMIT, refuseDeepJson } from './common/bounds.js';
import { keptAnswers } from './common/kept-answers.js';
import { sendError } from './common/error-response.js';
import { projectRoot } from './common/paths.js';
import { createValidationPipe } from './common/validation.js';
import { rememberValidationMetadata } from './common/validation-metadata.js';
import { registerViewHelpers } from './common/view-helpers.js';
import { serveVendorScripts } from './common/vendor-scripts.js';
import { viewLocals } from './common/view-locals.middleware.js';
import { Settings } from './config/settings.js';
import { ReadCache } from './database/read-cache.js';

/** Everything the app needs besides its modules; main.ts and the tests both call it (create with bodyParser: false). */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const settings = app.get(Settings);
  const root = projectRoot();
  const views = join(root, 'views');

  // X-Forwarded-For and -Proto only from the proxies TRUST_PROXY names: otherwise any sender could choose its address.
  app.set('trust proxy', settings.trustedProxies);
  app.disable('x-powered-by');
  // Pages carry a per-session CSRF token, so an ETag of the body almost never matches again; hashing every body
  // (a 500-household ranking is 150 kB) cost more than it saved. Static assets keep their own ETags.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // Only a server reached over HTTPS may tell browsers to insist on it; no includeSubDomains, since the county's
      // other sites under the same domain are not ours to pin.
      strictTransportSecurity: settings.behindHttps
        ? { maxAge: 180 * 24 * 3600, includeSubDomains: false }
        : false,
    }),
  );
  // The catalogue's kept answer (decision 006) goes out here: after the security headers, before everything else.
  app.use(keptAnswers(app.get(ReadCache)));
  app.useStaticAssets(join(views, 'assets'), { prefix: '/assets/', maxAge: '1d' });
  serveVendorScripts(app);
  // express.json directly: Nest's useBodyParser keeps `verify` for itself. The depth check runs before JSON.parse.
  app.use(json({ limit: JSON_BODY_LIMIT, verify: refuseDeepJson }));
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  // Broken JSON or a body too large: the same error shape as everything else, never Express's default page.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => sendError(error, req, res));
  // A POST with no body at all (no content type) still gives handlers an object to read.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    req.body ??= {};
    next();
  });
  app.use(cookieParser());
  app.use(authenticate(app.get(AuthService), settings));
  app.use(viewLocals);
  app.use(boundedInput);

  app.setBaseViewsDir(views);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
  registerViewHelpers(hbs, join(views, 'partials'));

  rememberValidationMetadata();
  app.useGlobalPipes(createValidationPipe());

  // The OpenAPI description is built when it is first asked for, not at every start: scanning every route and DTO
  // took 56 ms of each start (and of each test file's app), for a page a developer opens now and then.
  const describe = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('乡村积分 API v1')
        .setDescription(
          '乡村治理积分制：积分细则、登记、审核、公示、入账、积分存折、积分超市、排名与红黑榜。见 API.md。',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
  SwaggerModule.setup('api/docs', app, describe, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
