import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The dataset the samples belong to: the seed's kind of file, a JSON array of records. */
export const SAMPLE_DATASET = 'customers';

const countries = [
  ['GB', 'Europe'],
  ['US', 'North America'],
  ['BR', 'South America'],
  ['JP', 'Asia Pacific'],
  ['KE', 'Africa'],
] as const;

/** One valid customers row, unique to its file and position (so every file is new to the ledger). */
function customer(file: number, row: number) {
  const [country, region] = countries[row % countries.length]!;
  return {
    customer_id: `C-${file}-${row}`,
    name: `Customer ${row} of file ${file}`,
    email: `c${row}.f${file}@example.com`,
    country,
    region,
    signed_up_on: `2024-${String((row % 12) + 1).padStart(2, '0')}-${String((row % 28) + 1).padStart(2, '0')}`,
  };
}

/** The text of sample file `file`: a JSON array of `rows` customers, one per line. */
export function sampleFileText(file: number, rows: number): string {
  const lines = Array.from({ length: rows }, (_, row) => JSON.stringify(customer(file, row)));
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** Bytes a row takes in a sample file, to turn a file size into rows. */
export const sampleBytesPerRow = (): number => Buffer.byteLength(sampleFileText(0, 1000)) / 1000;

/** Writes `count` sample files of `rows` rows into `dir`; returns their paths. */
export async function writeSampleFiles(dir: string, count: number, rows: number): Promise<string[]> {
  const paths: string[] = [];
  for (let file = 0; file < count; file++) {
    const path = join(dir, `${SAMPLE_DATASET}-${String(file).padStart(6, '0')}.json`);
    await writeFile(path, sampleFileText(file, rows));
    paths.push(path);
  }
  return paths;
}
