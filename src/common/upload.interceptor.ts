import {
  CallHandler,
  ExecutionContext,
  Injectable,
  mixin,
  NestInterceptor,
  PayloadTooLargeException,
  Type,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from './domain-error.js';

/** A file refused while multer read the body, for the handler to show beside the field. */
const refusals = new WeakMap<Request, DomainError>();

/**
 * multer's own interceptor for one file field, except that a file over the limit does not end the request with a
 * 413: the handler still runs and brings the form back with the message beside the field (the fields before the
 * file are read, which is why the file input comes last in its form).
 */
export function TolerantUpload(field: string, maxBytes: number, tooLarge: string): Type<NestInterceptor> {
  const Multer = FileInterceptor(field, { limits: { fileSize: maxBytes, files: 1 } });

  @Injectable()
  class TolerantUploadInterceptor implements NestInterceptor {
    private readonly multer = new Multer();

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await this.multer.intercept(context, next);
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (!(error instanceof PayloadTooLargeException) || code !== 'LIMIT_FILE_SIZE') throw error;
        const req = context.switchToHttp().getRequest<Request>();
        refusals.set(req, DomainError.validation({ [field]: tooLarge }));
        return next.handle();
      }
    }
  }
  return mixin(TolerantUploadInterceptor);
}

/** The refusal of the request's file, if multer refused it. */
export function uploadRefusal(req: Request): DomainError | undefined {
  return refusals.get(req);
}
