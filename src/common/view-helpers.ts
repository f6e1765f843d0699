import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import hbsModule from 'hbs';
import { ROLE_LABELS, type Role } from '../access/role.js';
import { chinaDay, chinaTime, chinaTimeSeconds, type Moment } from './dates.js';

/** Partials (read once, at start) and the few helpers the templates need. */
export function registerViewHelpers(hbs: typeof hbsModule, partialsDir: string): void {
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => String(a) === String(b));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('roleLabel', (role: Role) => ROLE_LABELS[role] ?? role);
  /**
   * Moments in China time, one format everywhere (src/common/dates.ts): `{{chinaTime at}}` → `2026-12-03 21:51`,
   * `{{chinaTime at seconds=true}}` → `2026-12-03 21:51:08`, `{{chinaDay at}}` → `2026-12-03`.
   */
  const time = (value: Moment, options?: { hash?: { seconds?: boolean } }) =>
    options?.hash?.seconds ? chinaTimeSeconds(value) : chinaTime(value);
  hbs.registerHelper('chinaTime', time);
  hbs.registerHelper('dateTime', time); // the older name, same format
  hbs.registerHelper('chinaDay', (value: Moment) => chinaDay(value));
  /** `{{get values "name"}}`: a field of an object by a name held in a variable. */
  hbs.registerHelper(
    'get',
    (object: Record<string, unknown> | undefined, key: string) => object?.[key] ?? '',
  );
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
}

/**
 * A registered partial as a function, compiled on first use: for the long parts of a page that are drawn once per
 * kept read (`derivedOnce`) and put in the page with `{{{…}}}`. The partial escapes what it prints, as any template.
 */
export function partialRenderer(name: string): (context: object) => string {
  let template: ((context: object) => string) | undefined;
  return (context) => {
    if (!template) {
      const partial = hbsModule.handlebars.partials[name] as string | ((context: object) => string);
      if (partial === undefined) throw new Error(`no partial ${name}`);
      template = typeof partial === 'string' ? hbsModule.handlebars.compile(partial) : partial;
    }
    return template(context);
  };
}
