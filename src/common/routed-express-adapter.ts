import { ExpressAdapter } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

const ROUTE_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'all', 'options', 'head'] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];

/**
 * The part of a path that picks its group of routes: the first segment, or for the JSON API (`/api/v1/…`) the
 * resource after it. Null when that part is not plain text (a parameter or a wildcard), so the route must be tried
 * for every path. Lower case: Express matches paths without regard to case.
 */
export function routeGroup(path: string): string | null {
  const segments = path.split('?', 1)[0].split('/', 4);
  const depth = segments[1]?.toLowerCase() === 'api' && segments[2]?.toLowerCase() === 'v1' ? 3 : 1;
  const group = segments.slice(1, depth + 1);
  if (group.length < depth || group.some((s) => !/^[\w.-]*$/.test(s))) return null;
  return group.join('/').toLowerCase();
}

/**
 * Express tries every route of an app in turn, and this app has some 200: the turn of every request through them was
 * a twentieth of a page's time. Here each group of routes (see `routeGroup`) has its own router, and one middleware
 * sends a request straight to its group's router; inside a group the order of registration is kept, as Express keeps
 * it, and groups cannot overlap. A route whose group is not plain text stays on the app, after the groups.
 */
export class RoutedExpressAdapter extends ExpressAdapter {
  private readonly groups = new Map<string, Router>();
  private dispatching = false;

  constructor() {
    super(express());
    for (const method of ROUTE_METHODS) {
      const own = (this as unknown as Record<RouteMethod, (...args: unknown[]) => unknown>)[method].bind(
        this,
      );
      (this as unknown as Record<RouteMethod, (...args: unknown[]) => unknown>)[method] = (
        ...args: unknown[]
      ) =>
        // One argument is a setting (`app.get('etag')`), not a route.
        args.length >= 2 && typeof args[0] === 'string'
          ? this.route(method, args[0], args.slice(1), own)
          : own(...args);
    }
  }

  private route(
    method: RouteMethod,
    path: string,
    handlers: unknown[],
    own: (...args: unknown[]) => unknown,
  ) {
    const group = routeGroup(path);
    if (group === null) return own(path, ...handlers);
    if (!this.dispatching) {
      this.dispatching = true;
      this.instance.use((req: Request, res: Response, next: NextFunction) => {
        const router = this.groups.get(routeGroup(req.url) ?? '');
        if (router) router(req, res, next);
        else next();
      });
    }
    let router = this.groups.get(group);
    if (!router) this.groups.set(group, (router = express.Router()));
    (router[method] as (path: string, ...handlers: unknown[]) => unknown)(path, ...handlers);
    return this.instance;
  }
}
