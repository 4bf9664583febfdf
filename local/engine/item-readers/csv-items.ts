import type { Readable } from 'node:stream';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { CsvRecordScanner } from './csv-records.ts';
import { csvDelimiters, type ReaderConfig } from './reader-config.ts';

// "Currently, Step Functions supports CSV headers of up to 10 KiB." (ItemReader docs)
const MAX_HEADER_BYTES = 10 * 1024;

const failed = (message: string) => new StatesError(StatesErrorNames.ItemReaderFailed, message);

function headerOf(record: string[]): string[] {
  if (Buffer.byteLength(record.join(','), 'utf8') > MAX_HEADER_BYTES) {
    throw failed('The CSV header row is larger than the 10 KiB Step Functions supports.');
  }
  const seen = new Set<string>();
  for (const name of record) {
    // Two columns of one name would silently overwrite each other's values.
    if (seen.has(name)) throw failed(`The CSV header has the column '${name}' more than once.`);
    seen.add(name);
  }
  return record;
}

/**
 * Streams a CSV object as items: one object per row, keyed by the header, every value a string.
 * A short row gets empty strings for its missing fields; extra fields of a long row are skipped.
 */
export async function* readCsvItems(
  body: Readable,
  config: ReaderConfig,
): AsyncGenerator<Record<string, string>> {
  const scanner = new CsvRecordScanner(csvDelimiters[config.CSVDelimiter ?? 'COMMA']);
  let header: string[] | undefined;
  if (config.CSVHeaderLocation === 'GIVEN') {
    if (!config.CSVHeaders?.length) throw failed('CSVHeaderLocation GIVEN needs CSVHeaders.');
    header = headerOf(config.CSVHeaders);
  }
  const toItem = (record: string[]): Record<string, string> => {
    const item: Record<string, string> = {};
    header!.forEach((name, i) => (item[name] = record[i] ?? ''));
    return item;
  };

  body.setEncoding('utf8');
  let first = true;
  try {
    for await (let chunk of body as AsyncIterable<string>) {
      if (chunk === '') continue;
      if (first) {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      for (const record of scanner.push(chunk)) {
        if (header) yield toItem(record);
        else header = headerOf(record);
      }
    }
    for (const record of scanner.end()) {
      if (header) yield toItem(record);
      else header = headerOf(record);
    }
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw failed(`The CSV could not be read: ${(error as Error).message}`);
  }
}
