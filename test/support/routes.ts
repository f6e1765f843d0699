import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ALLOW_KEY } from '../../src/access/allow.js';
import { rolesWith, type Permission } from '../../src/access/permissions.js';
import { PUBLIC_KEY } from '../../src/auth/decorators.js';

export interface AppRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As declared, e.g. `/api/v1/households/:id/passbook`. */
  path: string;
  /** The permissions the route is allowed by (`@Allow`), any of which lets a person in. */
  permissions: Permission[];
  /** What the code declares: open to visitors, or the roles that hold one of its permissions (the table's answer). */
  access: 'public' | string[];
  api: boolean;
}

/** Every route of the app's controllers, read from Nest's metadata (the same the router is built from). */
export function appRoutes(app: INestApplication): AppRoute[] {
  const routes: AppRoute[] = [];
  const container = (
    app as unknown as {
      container: { getModules(): Map<string, { controllers: Map<unknown, { metatype?: unknown }> }> };
    }
  ).container;
  for (const mod of container.getModules().values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new () => unknown) | undefined;
      if (!cls) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, cls) as string | undefined) ?? '';
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        if (name === 'constructor') continue;
        const handler = (cls.prototype as Record<string, unknown>)[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[
          Reflect.getMetadata(METHOD_METADATA, handler) as number
        ] as AppRoute['method'];
        const isPublic = Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, cls);
        const permissions = (Reflect.getMetadata(ALLOW_KEY, handler) ??
          Reflect.getMetadata(ALLOW_KEY, cls) ??
          []) as Permission[];
        const roles = [...new Set(permissions.flatMap(rolesWith))].sort();
        for (const p of ([] as string[]).concat(paths)) {
          const path = `/${[base, p].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
          routes.push({
            method,
            path,
            permissions,
            access: isPublic ? 'public' : roles,
            api: path.startsWith('/api/'),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export const routeKey = (r: Pick<AppRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
