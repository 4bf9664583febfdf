/**
 * Splits delimited text into records the way Step Functions' ItemReader does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html):
 * quoted fields may hold delimiters and newlines, `""` is a quote (quoted or not), a backslash
 * escapes a backslash, a quote or the delimiter and is dropped before anything else.
 * csv-parse has no mode for those backslash rules, hence this small scanner.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;

type Mode =
  'field' | 'quote-in-field' | 'quoted' | 'quote-in-quoted' | 'escape' | 'escape-in-quoted' | 'after-cr';

/** Streaming scanner: feed text chunks, get complete records; `end()` flushes the last one. */
export class CsvRecordScanner {
  readonly #delimiter: number;
  #mode: Mode = 'field';
  #field = '';
  #record: string[] = [];
  #fieldStarted = false;
  // `""` on a line of its own is a record with one empty field, not a blank line.
  #lastRecordHadQuotes = false;

  constructor(delimiter: string) {
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** Scans `chunk` and returns the records it completed. */
  push(chunk: string): string[][] {
    const records: string[][] = [];
    const delimiter = this.#delimiter;
    let field = this.#field;
    let mode = this.#mode;
    // Plain runs are sliced in one go rather than appended character by character.
    let runStart = -1;
    const flushRun = (end: number): void => {
      if (runStart >= 0) {
        field += chunk.slice(runStart, end);
        runStart = -1;
      }
    };
    const endField = (): void => {
      this.#record.push(field);
      field = '';
      this.#fieldStarted = false;
    };
    const endRecord = (): void => {
      const record = this.#record;
      this.#record = [];
      // A blank line is no record at all.
      if (!(record.length === 1 && record[0] === '' && !this.#lastRecordHadQuotes)) records.push(record);
      this.#lastRecordHadQuotes = false;
    };

    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (mode === 'after-cr') {
        // CRLF is one record separator; after a lone CR this character starts the next record.
        mode = 'field';
        if (c === LF) continue;
      }
      switch (mode) {
        case 'field':
          if (c === delimiter) {
            flushRun(i);
            endField();
          } else if (c === LF || c === CR) {
            flushRun(i);
            endField();
            endRecord();
            if (c === CR) mode = 'after-cr';
          } else if (c === QUOTE) {
            flushRun(i);
            if (!this.#fieldStarted && field === '') {
              mode = 'quoted';
              this.#fieldStarted = true;
              this.#lastRecordHadQuotes = true;
            } else {
              mode = 'quote-in-field';
            }
          } else if (c === BACKSLASH) {
            flushRun(i);
            mode = 'escape';
          } else if (runStart < 0) {
            runStart = i;
            this.#fieldStarted = true;
          }
          break;
        case 'quote-in-field':
          // `""` inside an unquoted field is one quote; a lone quote is kept as it is.
          field += '"';
          mode = 'field';
          if (c !== QUOTE) i--;
          break;
        case 'quoted':
          if (c === QUOTE) {
            flushRun(i);
            mode = 'quote-in-quoted';
          } else if (c === BACKSLASH) {
            flushRun(i);
            mode = 'escape-in-quoted';
          } else if (runStart < 0) {
            runStart = i;
          }
          break;
        case 'quote-in-quoted':
          if (c === QUOTE) {
            field += '"';
            mode = 'quoted';
          } else {
            // The closing quote: the character is handled as part of the unquoted remainder.
            mode = 'field';
            this.#fieldStarted = true;
            i--;
          }
          break;
        case 'escape':
        case 'escape-in-quoted':
          // `\\`, `\"` and `\<delimiter>` keep the character; any other escaped character too,
          // without its backslash (the docs: "a backslash followed by any other character is
          // silently removed").
          field += chunk[i];
          this.#fieldStarted = true;
          mode = mode === 'escape' ? 'field' : 'quoted';
          break;
      }
    }
    flushRun(chunk.length);
    this.#field = field;
    this.#mode = mode;
    return records;
  }

  /** Ends the input: returns the last record if the text did not end with a newline. */
  end(): string[][] {
    if (this.#mode === 'quoted' || this.#mode === 'escape-in-quoted') {
      throw new Error('the file ends inside a quoted field');
    }
    if (this.#mode === 'quote-in-field') this.#field += '"';
    if (this.#field === '' && this.#record.length === 0 && !this.#fieldStarted) return [];
    this.#record.push(this.#field);
    this.#field = '';
    const record = this.#record;
    this.#record = [];
    return record.length === 1 && record[0] === '' && !this.#lastRecordHadQuotes ? [] : [record];
  }
}
