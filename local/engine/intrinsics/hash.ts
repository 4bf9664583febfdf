import { createHash } from 'node:crypto';

/** The algorithms States.Hash and $hash accept, by AWS's name, with Node's name for each. */
const algorithms: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export const hashAlgorithmNames = Object.keys(algorithms);

/** The hex digest of `text` (UTF-8), or undefined when AWS does not offer `algorithm`. */
export function hashText(text: string, algorithm: string): string | undefined {
  const name = Object.hasOwn(algorithms, algorithm) ? algorithms[algorithm] : undefined;
  return name && createHash(name).update(text, 'utf8').digest('hex');
}
