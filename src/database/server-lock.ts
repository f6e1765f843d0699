import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUN_DIR = 'run';

/**
 * A running server notes its process id in `<dataDir>/run/server-<pid>.pid` (one file per process: PostgreSQL may
 * run several), removed when it exits; a restore refuses to replace the database under a live one.
 */
export function holdServerLock(dataDir: string, pid = process.pid): () => void {
  const dir = resolve(dataDir, RUN_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `server-${pid}.pid`);
  writeFileSync(file, `${pid}\n`);
  const release = () => rmSync(file, { force: true });
  process.once('exit', release);
  return release;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The ids of servers running on this data folder (files of processes that died without removing them are ignored). */
export function runningServers(dataDir: string): number[] {
  const dir = resolve(dataDir, RUN_DIR);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^server-\d+\.pid$/.test(f));
  } catch {
    return [];
  }
  return files
    .map((f) => Number(readFileSync(join(dir, f), 'utf8').trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid));
}
