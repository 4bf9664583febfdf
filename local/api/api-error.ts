/** An AWS-shaped API error: `__type` is what the SDK turns into the exception's name. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const notFound = (
  type: 'ExecutionDoesNotExist' | 'StateMachineDoesNotExist' | 'ResourceNotFound',
  message: string,
) => new ApiError(type, message);
