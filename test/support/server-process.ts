import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from './create-test-app.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(projectRoot, 'dist', 'src', 'main.js');

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Stops the process (SIGTERM, or SIGKILL for a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The built server (`npm test` builds it first) as a separate operating-system process on the database of a test
 * app, with its session secret, so that tokens from one server work on the other.
 */
export async function startServerProcess(
  on: TestApp,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
  // A port found free may be taken again before the server binds it (other test workers open ephemeral ports all the
  // time, some of them this app answering /login): the server counts as up only once it says it listens on that port
  // itself, and a server that found its port taken is started again on another.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(on, env);
    if (started !== 'PORT_TAKEN') return started;
    if (attempt === 5) throw new Error('server process: five ports in a row were taken');
  }
}

async function startOnce(on: TestApp, env: Record<string, string>): Promise<ServerProcess | 'PORT_TAKEN'> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'vp-server-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: on.settings.databaseUrl,
      SESSION_SECRET: on.settings.sessionSecret,
      SEED: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const listening = `http://localhost:${port} `;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(cwd, { recursive: true, force: true });
      if (`${stderr}${stdout}`.includes('EADDRINUSE')) return 'PORT_TAKEN';
      throw new Error(`server process exited: ${stderr}`);
    }
    const up =
      stdout.includes(listening) &&
      (await fetch(`${baseUrl}/login`).then(
        (r) => r.ok,
        () => false,
      ));
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server process did not start in 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
