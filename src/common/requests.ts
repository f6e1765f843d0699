import type { Request } from 'express';

/** Express matches routes without regard to case, so `/API/v1/…` reaches the API and must be treated as it. */
const API_PATH = /^\/api\//i;
export const isApiRequest = (req: Request) => API_PATH.test(req.path);
