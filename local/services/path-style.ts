/** A path-style S3 request's bucket and key, as S3 reads them. */
export interface PathStyleObject {
  bucket: string;
  key: string;
}

/**
 * The bucket and key of a path-style object request (`/bucket/key?query`), taken from the raw
 * request target. Not through `new URL()`: it resolves `.` and `..` segments, which are part of
 * the key in S3 (`a/../b` is its own object, not `b`). Undefined for a request with no key.
 */
export function pathStyleObject(target: string | undefined): PathStyleObject | undefined {
  const path = (target ?? '/').split('?', 1)[0]!;
  const slash = path.indexOf('/', 1);
  if (!path.startsWith('/') || slash < 0 || slash === path.length - 1) return undefined;
  try {
    return {
      bucket: decodeURIComponent(path.slice(1, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
    };
  } catch {
    return undefined; // malformed %-escape: not ours to answer
  }
}
