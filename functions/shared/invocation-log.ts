/**
 * What a function's log lines say about an invocation, read from its raw event and result so a
 * malformed event still logs whatever it does carry. Field names follow the Step Functions
 * envelope: `BatchInput` for a Distributed Map batch, top-level fields for notify/dead-letter,
 * `detail` for the failure handler's EventBridge event.
 */

type Fields = Record<string, unknown>;

const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};

const firstOf = (value: unknown): unknown => (Array.isArray(value) ? value[0] : undefined);

const lengthOf = (value: unknown): number | undefined => (Array.isArray(value) ? value.length : undefined);

/** The keys every line of one invocation carries: execution, file and the batch's first item. */
export interface InvocationKeys {
  executionArn?: string;
  fileId?: string;
  firstItemIndex?: number;
}

/** The invocation's keys, from whichever envelope the event is (absent fields are left out). */
export function invocationKeys(event: unknown): InvocationKeys {
  const fields = fieldsOf(event);
  const batchInput = fieldsOf(fields.BatchInput);
  // EventBridge's "Step Functions Execution Status Change" carries it in `detail`.
  const executionArn = batchInput.executionArn ?? fields.executionArn ?? fieldsOf(fields.detail).executionArn;
  const fileId = fieldsOf(batchInput.file ?? fields.file).id;
  const firstItemIndex = fieldsOf(firstOf(fields.Items) ?? firstOf(fields.rows)).index;
  return {
    ...(typeof executionArn === 'string' && { executionArn }),
    ...(typeof fileId === 'string' && { fileId }),
    ...(typeof firstItemIndex === 'number' && { firstItemIndex }),
  };
}

/** Rows in, rows out and rejected rows of a batch stage; absent for functions that take none. */
export interface RowCounts {
  rowsIn?: number;
  rowsOut?: number;
  rejected?: number;
}

/** Counts a batch stage's rows: `Items` or `rows` in; `rows` or load's `loaded` out. */
export function rowCounts(event: unknown, result: unknown): RowCounts {
  const input = fieldsOf(event);
  const output = fieldsOf(result);
  const rowsIn = lengthOf(input.Items) ?? lengthOf(input.rows);
  const rowsOut = lengthOf(output.rows) ?? (typeof output.loaded === 'number' ? output.loaded : undefined);
  const rejected =
    lengthOf(output.rejected) ?? (typeof output.rejected === 'number' ? output.rejected : undefined);
  return {
    ...(rowsIn !== undefined && { rowsIn }),
    ...(rowsOut !== undefined && { rowsOut }),
    ...(rejected !== undefined && { rejected }),
  };
}
