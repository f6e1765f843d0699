import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from '../common/domain-error.js';
import { MAX_EVIDENCE_BYTES } from './evidence.store.js';

/** A photo refused while multer read the body, for the handler to show beside the field. */
const photoRefusals = new WeakMap<Request, DomainError>();
const PhotoMulter = FileInterceptor('photo', { limits: { fileSize: MAX_EVIDENCE_BYTES } });

/**
 * multer's own interceptor, except that a photo over 5 MB does not end the request with a 413 page: the handler
 * still runs and brings the form back with the message beside the photo field (the fields before the photo are
 * read, which is why the photo comes last in the form).
 */
@Injectable()
export class PhotoUploadInterceptor implements NestInterceptor {
  private readonly multer = new PhotoMulter();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (!(error instanceof PayloadTooLargeException) || code !== 'LIMIT_FILE_SIZE') throw error;
      const req = context.switchToHttp().getRequest<Request>();
      photoRefusals.set(req, DomainError.validation({ photo: '照片不能超过 5 MB' }));
      return next.handle();
    }
  }
}

/** The refusal of the request's photo, if multer refused it (the handler shows it beside the field). */
export function photoRefusal(req: Request): DomainError | undefined {
  return photoRefusals.get(req);
}
