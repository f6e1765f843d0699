import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/auth/decorators.js';

export interface AppRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As declared, e.g. `/api/v1/households/:id/passbook`. */
  path: string;
  /** What the code declares: open to visitors, any logged-in person, or these roles. */
  access: 'public' | 'login' | string[];
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
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, cls)) as
          string[] | undefined;
        for (const p of ([] as string[]).concat(paths)) {
          const path = `/${[base, p].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
          routes.push({
            method,
            path,
            access: isPublic ? 'public' : roles ? [...roles].sort() : 'login',
            api: path.startsWith('/api/'),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export const routeKey = (r: Pick<AppRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
