import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import hbsModule from 'hbs';
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
