import { z } from 'zod';
import { ApiError } from './api-error.ts';

/** The paging fields every List action takes, as AWS bounds them. */
export const pageFields = {
  maxResults: z.number().int().min(0).max(1000).optional(),
  nextToken: z.string().optional(),
};

/** One page of `items` from an opaque `nextToken` (an offset, base64), as AWS pages lists. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new ApiError('InvalidToken', `Invalid Token: '${nextToken}'`);
  }
  const size = maxResults && maxResults > 0 ? maxResults : 100;
  const page = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, ...(next ? { nextToken: next } : {}) };
}
