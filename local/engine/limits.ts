import { StatesError, StatesErrorNames } from './errors.ts';

/** 256 KiB: the most a state's input, output or a task's result may weigh, as UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Serialises a payload, failing with `States.DataLimitExceeded` when it passes 256 KiB. */
export function serialisePayload(value: unknown, what: string): string {
  const text = JSON.stringify(value ?? null);
  // Length in UTF-16 units is a lower bound of the UTF-8 size: count bytes only near the limit.
  if (text.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      StatesErrorNames.DataLimitExceeded,
      `The ${what} has a size of ${Buffer.byteLength(text, 'utf8')} bytes, over the limit of ${MAX_PAYLOAD_BYTES} bytes.`,
    );
  }
  return text;
}
