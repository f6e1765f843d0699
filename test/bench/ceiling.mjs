// `node test/bench/ceiling.mjs` — how far the villager passbook page could get outside the framework. Not part of
// `npm test`; needs `npm run build` and a county kept by `BENCH_DIR=… npm run bench` (SQLite).
//
//   BENCH_DIR=/work/county node test/bench/ceiling.mjs
//
// The same page (same services, same queries, same Handlebars template and layout, same security headers) served
// three ways by one server process, each measured at 10 connections after a warm-up, three rounds interleaved:
//   nest           GET /villager/passbook, the real route (Express, its middleware, Nest's guards and pipes);
//   express-first  a handler mounted before every other Express middleware: Express's request and render only;
//   plain-http     a node:http handler calling the services and rendering the template: no Express, no Nest;
// and the floor of `npm run bench` (the page's queries through better-sqlite3, a bare table for HTML).
// It answers whether "reads at 40% of the floor" is a matter of framework code (docs/PERFORMANCE.md).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIN, floorServer, pad, pageSession, run, summary } from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.env.BENCH_DIR;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const PAGE = '/villager/passbook';
const env = {
  NODE_ENV: 'production',
  DATABASE_URL: `sqlite:${join(dir ?? '.', 'bench.db')}`,
  SEED: 'none',
  ADMIN_USERNAME: 'admin',
  SESSION_SECRET: 'b'.repeat(64),
};

if (process.argv[2] === '--serve') await serve(Number(process.argv[3]));
else await measure();

/** The server process: the app as main.ts starts it, plus the two other ways to the same page. */
async function serve(port) {
  // Exit on SIGTERM (so that `node --cpu-prof` writes its profile when the measure ends).
  process.once('SIGTERM', () => process.exit(0));
  Object.assign(process.env, env);
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const app$ = (path) => import(join(root, 'dist/src', path));
  const { AppModule } = await app$('app.module.js');
  const { configureApp } = await app$('app.setup.js');
  const { RoutedExpressAdapter } = await app$('common/routed-express-adapter.js');
  const { loadSettings } = await app$('config/settings.js');
  const { AuthService } = await app$('auth/auth.service.js');
  const { SESSION_COOKIE } = await app$('auth/cookies.js');
  const { csrfTokenFor } = await app$('auth/token.js');
  const { PassbookService } = await app$('passbook/passbook.service.js');
  const { StarsService } = await app$('rankings/stars.service.js');
  const { PASSBOOK_PAGE, passbookView } = await app$('passbook/passbook.controller.js');
  const { navigationFor } = await app$('common/navigation.js');
  const { ROLE_LABELS } = await app$('access/role.js');

  const settings = loadSettings();
  const app = await NestFactory.create(AppModule.forSettings(settings), new RoutedExpressAdapter(), {
    bodyParser: false,
    logger: false,
  });
  const express = app.getHttpAdapter().getInstance();
  const [auth, passbooks, stars] = [app.get(AuthService), app.get(PassbookService), app.get(StarsService)];
  const cookieName = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

  const pageContext = async (cookie) => {
    const sessionId = cookieName.exec(cookie ?? '')?.[1];
    const actor = sessionId ? await auth.actorFromSession(sessionId, '127.0.0.1') : null;
    if (actor?.kind !== 'household') return null;
    const book = await passbooks.passbook(actor, actor.id, {}, PASSBOOK_PAGE);
    // The layout's part, as the authenticate and view-locals middleware give it; the page's, as the route does.
    return {
      csrfToken: csrfTokenFor(settings.sessionSecret, sessionId),
      actor,
      nav: navigationFor(actor, PAGE),
      currentPath: PAGE,
      actorRoleLabel: ROLE_LABELS[actor.role],
      ...(await passbookView(
        stars,
        book,
        {},
        {
          title: '我家的积分存折',
          path: PAGE,
          back: { href: '/villager', label: '返回我的积分' },
        },
      )),
    };
  };

  express.use((req, res, next) => {
    if (req.url !== `/express-first${PAGE}`) return next();
    pageContext(req.headers.cookie).then(
      (context) => (context ? res.render('ledger/passbook', context) : res.sendStatus(401)),
      next,
    );
  });
  configureApp(app);
  await app.listen(port, '127.0.0.1');
  // The security headers helmet sets, read once from a real answer, so the plain handler sends the same.
  const probe = await fetch(`http://127.0.0.1:${port}/login`);
  const headers = [...probe.headers].filter(
    ([name]) => !/^(set-cookie|content-length|date|connection|keep-alive)$/.test(name),
  );
  createServer((req, res) => {
    const fail = (status, error) => {
      res.statusCode = status;
      res.end(String(error ?? ''));
    };
    pageContext(req.headers.cookie).then(
      (context) => {
        if (!context) return fail(401);
        express.render('ledger/passbook', context, (error, html) => {
          if (error) return fail(500, error);
          for (const [name, value] of headers) res.setHeader(name, value);
          res.end(html);
        });
      },
      (error) => fail(500, error),
    );
  }).listen(port + 1, '127.0.0.1', () => console.log('ready'));
}

async function measure() {
  if (!dir) throw new Error('BENCH_DIR: a county kept by BENCH_DIR=… npm run bench');
  const port = 3960;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    child.once('exit', () => reject(new Error('the server exited')));
  });
  const base = `http://127.0.0.1:${port}`;
  const cookies = [];
  for (let h = 1; h <= 20; h++)
    cookies.push(await pageSession(base, '/villager', { householdCode: `V001-${pad(h)}`, pin: PIN }));
  const floor = await floorServer(join(dir, 'bench.db'), 500);
  let k = 0;
  const ways = [
    ['nest', base, PAGE],
    ['express-first', base, `/express-first${PAGE}`],
    ['plain-http', `http://127.0.0.1:${port + 1}`, PAGE],
    ['floor', floor.base, null],
  ];
  const request = (path) => () => ({
    path: path ?? `/floor/villager-passbook/${1 + (k % 20)}`,
    headers: { cookie: cookies[k++ % 20] },
  });
  for (const [name, url, path] of ways.slice(0, 3)) {
    const answer = await fetch(url + path, { headers: { cookie: cookies[0] } });
    const html = await answer.text();
    if (answer.status !== 200 || !html.includes('积分存折')) throw new Error(`${name}: ${answer.status}`);
    console.log(`${name}: ${html.length} characters`);
  }
  const rps = new Map(ways.map(([name]) => [name, []]));
  for (let round = 1; round <= 3; round++)
    for (const [name, url, path] of ways) {
      const requests = [{ setupRequest: (req) => ({ ...req, ...request(path)() }) }];
      await run(url, 10, requests, { duration: 2 });
      const r = summary(await run(url, 10, requests, { duration: SECONDS }));
      if (r.errors || r.non2xx) throw new Error(`${name}: ${r.errors} errors, ${r.non2xx} not 2xx`);
      rps.get(name).push(r.rps);
      console.log(`round ${round} ${name}: ${r.rps} req/s p50 ${r.p50} ms p99 ${r.p99} ms`);
    }
  const median = (list) => [...list].sort((a, b) => a - b)[1];
  const floorRps = median(rps.get('floor'));
  for (const [name] of ways)
    console.log(
      `${name.padEnd(14)} ${String(median(rps.get(name))).padStart(6)} req/s  ${Math.round((100 * median(rps.get(name))) / floorRps)}% of the floor`,
    );
  floor.close();
  child.kill();
}
