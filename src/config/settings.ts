import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';

/** Settings read from the environment (API.md "Settings"), validated once at start. */
export class Settings {
  @IsInt({ message: 'PORT 必须是 1–65535 之间的整数' })
  @Min(0, { message: 'PORT 必须是 1–65535 之间的整数' })
  @Max(65535, { message: 'PORT 必须是 1–65535 之间的整数' })
  port = 3000;

  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL 必须是 sqlite:文件路径 或 postgres://用户@主机:端口/库名',
  })
  databaseUrl = 'sqlite:data/points.db';

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,40}$/, { message: 'ADMIN_USERNAME 只能是 3–40 位字母、数字、下划线、点或横线' })
  adminUsername?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD 至少 8 位' })
  adminPassword?: string;

  @IsIn(['demo', 'none'], { message: 'SEED 只能是 demo 或 none' })
  seed: 'demo' | 'none' = 'demo';

  /** DEMO_HISTORY=off loads the demo county without its six months of history (tests that need a quiet village). */
  @IsIn(['on', 'off'], { message: 'DEMO_HISTORY 只能是 on 或 off' })
  demoHistory: 'on' | 'off' = 'on';

  // 15 is PUBLICATION_MAX_DAYS of publications/publication-window.ts (its spec checks they agree).
  @IsInt({ message: 'PUBLICATION_MIN_DAYS 必须是 0–15 之间的整数' })
  @Min(0, { message: 'PUBLICATION_MIN_DAYS 必须是 0–15 之间的整数' })
  @Max(15, { message: 'PUBLICATION_MIN_DAYS 必须是 0–15 之间的整数' })
  publicationMinDays = 1;

  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET 至少 32 个字符' })
  @MaxLength(512, { message: 'SESSION_SECRET 最多 512 个字符' })
  sessionSecret: string;

  /** BEHIND_HTTPS=true: browsers reach the server only over HTTPS (a proxy ends TLS), so HSTS is sent. */
  @IsBoolean({ message: 'BEHIND_HTTPS 只能是 true 或 false' })
  behindHttps = false;

  /**
   * TRUST_PROXY: the reverse proxies whose X-Forwarded-For (the client's address, which the login throttle counts) and
   * X-Forwarded-Proto are believed. `false` (the default): nobody's, every sender could forge them. Otherwise
   * `loopback` (a proxy on the same machine) or the proxies' addresses or subnets, comma-separated.
   */
  @ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && proxyTrust(value) !== undefined,
      defaultMessage: () =>
        'TRUST_PROXY 只能是 false、loopback，或代理服务器的地址/网段（如 10.0.0.2 或 10.0.0.0/8），多个用逗号分隔',
    },
  })
  trustProxy = 'false';

  /**
   * SECRET_HASH_COST: log2 of scrypt's N for passwords and PINs, 15 (the default) to 20. Lower values (down to 10) are
   * taken only when NODE_ENV=test: the test harness, which hashes hundreds of secrets per file.
   */
  @IsInt({ message: 'SECRET_HASH_COST 必须是 15–20 之间的整数' })
  @Min(10, { message: 'SECRET_HASH_COST 必须是 15–20 之间的整数' })
  @Max(20, { message: 'SECRET_HASH_COST 必须是 15–20 之间的整数' })
  secretHashCost = 15;

  /** Folder for the SQLite file, the generated session secret and (later) uploads and backups. */
  dataDir = 'data';

  get isPostgres(): boolean {
    return this.databaseUrl.startsWith('postgres');
  }

  /** Express's `trust proxy` value: false, or the trusted proxies. */
  get trustedProxies(): false | string {
    return proxyTrust(this.trustProxy) ?? false;
  }

  get sqlitePath(): string {
    return this.databaseUrl.replace(/^sqlite:/, '');
  }
}

export class SettingsError extends Error {
  constructor(public readonly problems: string[]) {
    super(`配置有误 (invalid settings):\n  - ${problems.join('\n  - ')}`);
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY as Express takes it; undefined when it is not one of the forms Settings.trustProxy describes. */
function proxyTrust(value: string): false | string | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '') return false;
  const items = text.split(',').map((item) => item.trim());
  const valid = items.every((item) => {
    if (PROXY_NAMES.includes(item)) return true;
    const [address, bits, extra] = item.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  return valid ? items.join(',') : undefined;
}

const INTEGER = /^-?\d+$/;

function integerOrText(value: string | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  return INTEGER.test(value.trim()) ? Number(value.trim()) : value;
}

function booleanOrText(value: string | undefined): boolean | string | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : value;
}

/**
 * Reads and validates the settings. SESSION_SECRET, when absent, is generated once and kept in
 * `<dataDir>/session-secret` so that a restart keeps everyone logged in.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  options: { dataDir?: string } = {},
): Settings {
  const raw: Record<string, unknown> = {
    port: integerOrText(env.PORT),
    databaseUrl: env.DATABASE_URL || undefined,
    adminUsername: env.ADMIN_USERNAME || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    seed: env.SEED || undefined,
    demoHistory: env.DEMO_HISTORY || undefined,
    publicationMinDays: integerOrText(env.PUBLICATION_MIN_DAYS),
    sessionSecret: env.SESSION_SECRET || undefined,
    trustProxy: env.TRUST_PROXY || undefined,
    behindHttps: booleanOrText(env.BEHIND_HTTPS),
    secretHashCost: integerOrText(env.SECRET_HASH_COST),
    dataDir: options.dataDir,
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  const settings = plainToInstance(Settings, raw);
  if (!settings.sessionSecret) settings.sessionSecret = persistedSecret(settings.dataDir);
  const problems = validateSync(settings).flatMap((e) => Object.values(e.constraints ?? {}));
  if (Number.isInteger(settings.secretHashCost) && settings.secretHashCost < 15 && env.NODE_ENV !== 'test')
    problems.push('SECRET_HASH_COST 必须是 15–20 之间的整数（更低的值只用于测试）');
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

function persistedSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
