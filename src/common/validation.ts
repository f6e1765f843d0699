import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidateIf } from 'class-validator';
import { assertWithinBounds, INT4_MAX, INT4_MIN } from './bounds.js';
import { DomainError } from './domain-error.js';

/** When a value is missing or of the wrong kind, say that first rather than "too long". */
const BASIC_CHECKS = [
  'isDefined',
  'isNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isIn',
  'isArray',
];

/** field → one message, with nested fields as `items.0.goodsId`. */
export function fieldMessages(errors: ValidationError[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const basic = BASIC_CHECKS.find((name) => name in constraints);
    const messages = Object.values(constraints);
    if (messages.length > 0) out[path] = basic ? constraints[basic] : messages[messages.length - 1];
    if (error.children?.length) Object.assign(out, fieldMessages(error.children, path));
  }
  return out;
}

/**
 * For PATCH bodies: the field may be left out, but when given it is checked like any other, null included
 * (`@IsOptional()` lets null through, and a NOT NULL column then fails with a 500).
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

const options = { whitelist: true, forbidUnknownValues: true } as const;

const INTEGER = /^-?\d+$/;

/**
 * The one global pipe: strips unknown fields, converts types, and refuses with VALIDATION_FAILED in Chinese. Numbers
 * a conversion made (`"3000000000"` → 3000000000) are bounded as the raw body is (see bounds.ts); an id in the
 * address that no integer column can hold names nothing: 404.
 */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    if (
      metadata.type === 'param' &&
      metadata.metatype === Number &&
      typeof value === 'string' &&
      INTEGER.test(value)
    ) {
      const n = Number(value);
      if (n < INT4_MIN || n > INT4_MAX) throw DomainError.notFound();
    }
    const result: unknown = await super.transform(value, metadata);
    if (result && typeof result === 'object') assertWithinBounds(result);
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    ...options,
    transform: true,
    exceptionFactory: (errors) => DomainError.validation(fieldMessages(errors)),
  });
}

const emptyIsValid = new WeakMap<new () => object, boolean>();

/** The same validation for page forms, whose handlers receive the raw body so that they can show it again. */
export async function parseForm<T extends object>(cls: new () => T, body: unknown): Promise<T> {
  const plain: Record<string, unknown> = {};
  // An empty form field means "not given", as an absent JSON field does.
  for (const [key, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
    if (key !== '_csrf' && value !== '') plain[key] = value;
  }
  // A page opened without any filter (most passbook and list views): the same empty form is valid or not every time.
  const empty = Object.keys(plain).length === 0;
  if (empty && emptyIsValid.get(cls)) return new cls();
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, options);
  if (empty) emptyIsValid.set(cls, errors.length === 0);
  if (errors.length > 0) throw DomainError.validation(fieldMessages(errors));
  assertWithinBounds(instance);
  return instance;
}
