import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  createParamDecorator,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PipeTransform,
  Redirect,
  SetMetadata,
  UseFilters,
  UseInterceptors,
  type CallHandler,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { Actor } from '../access/actor.js';
import { DomainError } from './domain-error.js';
import { sendError } from './error-response.js';
import { FLASH_COOKIE, renderRefusal } from './forms.js';
import { parseForm } from './validation.js';

/** What a form handler returns on success: where to go next, and the message shown there once. */
export interface FormDone {
  redirect: string;
  message: string;
}

/** The request as a form page's context sees it. */
export interface FormRequest {
  actor: Actor;
  params: Record<string, string>;
  body: Record<string, unknown>;
}

interface FormPageOptions<C> {
  /** The page's view model besides what was typed, built with the controller's services. */
  context?: (controller: C, req: FormRequest) => Promise<object> | object;
  /** When the page names a field differently from the DTO (two forms on one page): DTO field → form field. */
  fieldNames?: (req: FormRequest) => Record<string, string>;
  /** A form of buttons only (activate, deactivate): on a refusal the page shows what is stored, not the body. */
  buttonsOnly?: boolean;
}

const FORM_PAGE = 'vp:form-page';
const ON_REFUSAL = Symbol('form page on refusal');

interface Refusable {
  [ON_REFUSAL]?: {
    view: string;
    context: () => Promise<object> | object;
    fieldNames: Record<string, string>;
    buttonsOnly: boolean;
  };
}

/**
 * A page form's POST handler: it returns `{ redirect, message }` and Nest redirects (303) with the message shown once;
 * a refusal (bad input, a domain rule: a DomainError below 500) renders `view` again with the page's context, what was
 * typed and each field's message, with the status of the refusal. `@FormBody(Dto)` binds the form to the DTO.
 */
export function FormPage<C>(view: string, options: FormPageOptions<C> = {}) {
  return applyDecorators(
    SetMetadata(FORM_PAGE, { view, ...options }),
    Redirect('', 303),
    UseInterceptors(FormPageInterceptor),
    UseFilters(FormPageFilter),
  );
}

/** Tells the filter which page to render on a refusal, and turns a success into the flash message and redirect. */
@Injectable()
export class FormPageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(
    ctx: ExecutionContext,
    next: CallHandler<FormDone>,
  ): Observable<{ url: string; statusCode: number }> {
    const page = this.reflector.get<FormPageOptions<unknown> & { view: string }>(FORM_PAGE, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<Request & Refusable>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const controller: unknown = this.moduleRef.get(ctx.getClass(), { strict: false });
    const form: FormRequest = {
      actor: req.actor as Actor,
      params: req.params as Record<string, string>,
      body: (req.body ?? {}) as Record<string, unknown>,
    };
    req[ON_REFUSAL] = {
      view: page.view,
      context: () => page.context?.(controller, form) ?? {},
      fieldNames: page.fieldNames?.(form) ?? {},
      buttonsOnly: page.buttonsOnly ?? false,
    };
    return next.handle().pipe(
      map((done) => {
        res.cookie(FLASH_COOKIE, encodeURIComponent(done.message), {
          httpOnly: true,
          sameSite: 'lax',
          path: '/',
        });
        return { url: done.redirect, statusCode: 303 };
      }),
    );
  }
}

/** Renders the form again on a refusal met after the interceptor (in the body's pipe or the handler). */
@Catch(DomainError)
export class FormPageFilter implements ExceptionFilter {
  async catch(error: DomainError, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request & Refusable>();
    const res = host.switchToHttp().getResponse<Response>();
    const page = req[ON_REFUSAL];
    if (!page || error.status >= 500) return sendError(error, req, res);
    try {
      const values = page.buttonsOnly ? undefined : ((req.body ?? {}) as Record<string, unknown>);
      await renderRefusal(res, { ...page, values }, error);
    } catch (contextError) {
      // The page itself cannot be shown (the village is gone, the actor lost its scope): say that instead.
      sendError(contextError, req, res);
    }
  }
}

class FormPipe<T extends object> implements PipeTransform<Record<string, unknown>, Promise<T>> {
  constructor(
    private readonly dto: new () => T,
    private readonly pick?: (body: Record<string, unknown>) => object,
  ) {}

  transform(body: Record<string, unknown>): Promise<T> {
    return parseForm(this.dto, this.pick ? this.pick(body) : body);
  }
}

const RawFormBody = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Record<string, unknown> =>
    ctx.switchToHttp().getRequest<Request>().body ?? {},
);

/**
 * The form's body bound to a DTO as the API binds JSON (empty fields count as not given); `pick` maps the form's
 * fields onto the DTO's when they differ. A refusal is VALIDATION_FAILED with each field's message.
 */
export function FormBody<T extends object>(
  dto: new () => T,
  pick?: (body: Record<string, unknown>) => object,
) {
  return RawFormBody(undefined, new FormPipe(dto, pick));
}
