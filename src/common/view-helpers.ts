import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type hbsModule from 'hbs';
import { ROLE_LABELS, type Role } from '../access/role.js';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** Partials (read once, at start) and the few helpers the templates need. */
export function registerViewHelpers(hbs: typeof hbsModule, partialsDir: string): void {
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => String(a) === String(b));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('roleLabel', (role: Role) => ROLE_LABELS[role] ?? role);
  hbs.registerHelper('dateTime', (value: Date | string | null) =>
    value ? dateTime.format(new Date(value)) : '',
  );
  /** `{{get values "name"}}`: a field of an object by a name held in a variable. */
  hbs.registerHelper(
    'get',
    (object: Record<string, unknown> | undefined, key: string) => object?.[key] ?? '',
  );
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
}
