import type { Response } from 'express';
import { DomainError } from './domain-error.js';

export const FLASH_COOKIE = 'vp_flash';

/** Secrets are never sent back to the browser, even to the person who typed them. */
const NOT_SHOWN_AGAIN = new Set(['_csrf', 'password', 'newPassword', 'currentPassword', 'pin']);

export interface FormPage {
  view: string;
  /** What the form page needs besides the values (choices for selects, the record being edited). */
  context?: () => Promise<object> | object;
  /** What was typed, shown again when the form comes back. */
  values: Record<string, unknown>;
  /** When the page names a field differently from the DTO (two forms on one page): DTO field → form field. */
  fieldNames?: Record<string, string>;
}

/** Redirect after a successful POST, with a message shown once on the next page. */
export function redirectWithFlash(res: Response, to: string, message: string): void {
  res.cookie(FLASH_COOKIE, encodeURIComponent(message), { httpOnly: true, sameSite: 'lax', path: '/' });
  res.redirect(303, to);
}

/**
 * Runs a page form's action. A refusal (bad input, a domain rule) brings the form back with what was typed, the
 * message of each wrong field beside it and the status code of the refusal; success redirects with a message.
 */
export async function submitForm(
  res: Response,
  form: FormPage,
  action: () => Promise<{ redirect: string; message: string }>,
): Promise<void> {
  try {
    const done = await action();
    redirectWithFlash(res, done.redirect, done.message);
  } catch (error) {
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    await renderRefusal(res, form, error);
  }
}

/** A field the page marks red: the field partial's `aria-invalid`, or a group (fieldset, row) with `has-error`. */
const MARKED_FIELD = /aria-invalid="true"|class="[^"]*\bhas-error\b/;

/**
 * The form again after a refusal: the page's context, what was typed (secrets left out; without `values`, what the
 * context shows), each field's message and the refusal's status code. One banner says what is wrong (the layout's);
 * a message that points at the red fields ("请检查标红的项目") when the page has no field for the error says the
 * fields' own messages instead.
 */
export async function renderRefusal(
  res: Response,
  form: Omit<FormPage, 'values'> & { values?: FormPage['values'] },
  error: DomainError,
): Promise<void> {
  const values =
    form.values &&
    Object.fromEntries(Object.entries(form.values).filter(([key]) => !NOT_SHOWN_AGAIN.has(key)));
  const model = {
    ...(form.context ? await form.context() : {}),
    ...(values && { values }),
    errors: Object.fromEntries(Object.entries(error.details).map(([k, v]) => [form.fieldNames?.[k] ?? k, v])),
    formError: error.message,
  };
  let html = await renderView(res, form.view, model);
  if (error.message.includes('标红') && !MARKED_FIELD.test(html))
    html = await renderView(res, form.view, { ...model, formError: unmarkedMessage(error) });
  res.status(error.status).type('html').send(html);
}

/** What a refusal says when no field of the page can carry its messages: the messages themselves. */
export function unmarkedMessage(error: DomainError): string {
  const said = Object.values(error.details).filter((v): v is string => typeof v === 'string' && v !== '');
  return said.length > 0
    ? [...new Set(said)].join('；')
    : error.message.replace(/[，,]?\s*请检查标红的项目/, '') || '填写的内容有误';
}

function renderView(res: Response, view: string, model: object): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(view, model, (err: Error | null, html: string) => (err ? reject(err) : resolve(html))),
  );
}

/** Ticked boxes of a urlencoded form: absent, one value, or many. */
export function ticked(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}
