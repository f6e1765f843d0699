import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions.js';

export const ALLOW_KEY = 'vp:allow';

/**
 * Who may call the route: whoever holds any of these permissions (the table in permissions.ts). Every route says
 * either this or `@Public()`; scope (which village) is checked separately, by `@InScope`.
 */
export const Allow = (...permissions: [Permission, ...Permission[]]) => SetMetadata(ALLOW_KEY, permissions);
