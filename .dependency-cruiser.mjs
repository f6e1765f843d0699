/**
 * The arrows of docs/ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser reads the TypeScript imports,
 * type-only ones included). Folders under src/: the bottom (common, config, database, access), the ledger above it,
 * the features above that, and the entry points (app.module.ts, main.ts, cli/) on top.
 */
const BOTTOM = '^src/(common|config|database|access)/';
const NOT_BOTTOM_OR_LEDGER = { path: '^src/', pathNot: [BOTTOM, '^src/ledger/'] };

export default {
  forbidden: [
    {
      name: 'ledger-imports-no-feature',
      comment:
        'The ledger is under every feature: it may use common, config, database and access, nothing above.',
      severity: 'error',
      from: { path: '^src/ledger/' },
      to: NOT_BOTTOM_OR_LEDGER,
    },
    {
      name: 'bottom-imports-no-feature',
      comment:
        'common, config, database and access import no feature and not the ledger: what must know features moves up, ' +
        'or takes what it needs as a parameter. database/entities.ts is the list of tables TypeORM loads: it names ' +
        'every feature entity by design.',
      severity: 'error',
      from: { path: BOTTOM, pathNot: '^src/database/entities\\.ts$' },
      to: { path: '^src/', pathNot: BOTTOM },
    },
    {
      name: 'controllers-touch-no-database',
      comment:
        'A controller translates HTTP to a service call and back: no DataSource, repository or SQL helper ' +
        '(the read cache is allowed: it holds derived values, not rows).',
      severity: 'error',
      from: { path: '\\.controller\\.ts$' },
      to: {
        path: ['^node_modules/(typeorm|@nestjs/typeorm)/', '^src/database/'],
        pathNot: '^src/database/read-cache\\.ts$',
      },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the checker cannot resolve would pass every rule above unseen.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
