/** The error codes of API.md, each with its HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INSUFFICIENT_POINTS: 409,
  OUT_OF_STOCK: 409,
  SAME_PERSON: 409,
  INVALID_STATE: 409,
  CAP_REACHED: 409,
  PUBLICATION_OPEN: 409,
  IDEMPOTENCY_CONFLICT: 409,
  DUPLICATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A refusal the user can understand: a code from API.md, a Chinese message and optional details (field → message). */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static validation(
    fields: Record<string, string>,
    message = '填写的内容有误，请检查标红的项目',
  ): DomainError {
    return new DomainError('VALIDATION_FAILED', message, fields);
  }

  static notFound(what = '记录'): DomainError {
    return new DomainError('NOT_FOUND', `${what}不存在`);
  }

  static forbidden(message = '您没有权限进行此操作'): DomainError {
    return new DomainError('FORBIDDEN', message);
  }

  static duplicate(field: string, message: string): DomainError {
    return new DomainError('DUPLICATE', message, { [field]: message });
  }
}
