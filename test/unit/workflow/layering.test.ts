import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const workflowDir = fileURLToPath(new URL('../../../workflow/', import.meta.url));

describe('workflow/ (the contracts the functions, the infra and the local cloud share)', () => {
  it('imports nothing from functions/: the functions depend on the contracts, not the reverse', () => {
    const files = readdirSync(workflowDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(5);
    const upward = files.flatMap((file) =>
      [
        ...readFileSync(`${workflowDir}${file}`, 'utf8').matchAll(
          /(?:from|import\()\s*'([^']*\/functions\/[^']*)'/g,
        ),
      ].map((m) => `${file} imports ${m[1]}`),
    );
    expect(upward).toEqual([]);
  });
});
