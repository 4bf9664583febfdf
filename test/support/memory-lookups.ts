import type { LookupPort } from '../../workflow/datasets/dataset.ts';

/**
 * A LookupPort over in-memory reference tables, for unit tests of enrich without a network. It
 * answers only the `WHERE <column> = ANY($1)` queries enrich issues and counts them, so a test
 * can check that a batch costs one query per lookup.
 */
export function memoryLookups(
  tables: Record<string, Record<string, unknown>[]>,
): LookupPort & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    async query<T extends Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]> {
      queries.push(sql);
      const match = /FROM (\w+) WHERE (\w+) = ANY\(\$1\)/.exec(sql);
      if (!match) throw new Error(`memoryLookups cannot answer: ${sql}`);
      const wanted = new Set(params[0] as unknown[]);
      return (tables[match[1]!] ?? []).filter((row) => wanted.has(row[match[2]!])) as T[];
    },
  };
}
