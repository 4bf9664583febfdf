/** An AWS-shaped API error: `__type` is what the SDK turns into the exception's name. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly type: string;
  readonly status: number;
  /** Members the error's shape has besides `message` (TooManyTags' `resourceName`). */
  readonly fields: Record<string, string>;
  constructor(type: string, message: string, status = 400, fields: Record<string, string> = {}) {
    super(message);
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}

export const notFound = (
  type: 'ExecutionDoesNotExist' | 'StateMachineDoesNotExist' | 'ResourceNotFound',
  message: string,
) => new ApiError(type, message);
