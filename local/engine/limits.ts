import { StatesError, StatesErrorNames } from './errors.ts';

/** 256 KiB: the most a state's input, output or a task's result may weigh, as UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

const texts = new WeakMap<object, string>();

/**
 * The JSON text of a value. The engine never changes a value once made (ResultPath, Assign and
 * the rest build new ones), so an object's text is made once: a batch that passes through five
 * states as input, parameters and output is serialised once, not a dozen times.
 */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** Serialises a payload, failing with `States.DataLimitExceeded` when it passes 256 KiB. */
export function serialisePayload(value: unknown, what: string): string {
  const text = jsonText(value);
  // Length in UTF-16 units is a lower bound of the UTF-8 size: count bytes only near the limit.
  if (text.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      StatesErrorNames.DataLimitExceeded,
      `The ${what} has a size of ${Buffer.byteLength(text, 'utf8')} bytes, over the limit of ${MAX_PAYLOAD_BYTES} bytes.`,
    );
  }
  return text;
}
