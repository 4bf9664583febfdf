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
    text = composed(value) ?? JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/**
 * Records `text` as the JSON text of `value`, which the caller built from texts it already had
 * (a batch from its items' texts), so `jsonText` does not serialise `value` again. `value` must
 * never change afterwards, as no value the engine makes does.
 */
export function withJsonText<T extends object>(value: T, text: string): T {
  texts.set(value, text);
  return value;
}

/**
 * The value of a JSON text (a Lambda's reply), parsed only when something looks inside it. A
 * pipeline mostly hands a stage's result on to the next stage and to the history as text, so
 * parsing it on the engine's thread would be work thrown away. Objects and arrays come back as a
 * read-through proxy over the parsed value, which `jsonText` knows the text of.
 */
export function parseWhenRead(text: string): unknown {
  const shell: object | undefined = text.startsWith('{') ? {} : text.startsWith('[') ? [] : undefined;
  if (!shell) return JSON.parse(text);
  let parsed: object | undefined;
  let mayHaveThen: boolean | undefined;
  const value = () => (parsed ??= JSON.parse(text) as object);
  const proxy = new Proxy(shell, {
    // Every promise that resolves to the value asks for `then`: answer without parsing when the
    // text has no such key anywhere.
    get: (_, key) =>
      key === 'then' && !parsed && !(mayHaveThen ??= text.includes('"then"'))
        ? undefined
        : Reflect.get(value(), key),
    has: (_, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(value(), key),
    set: (_, key, member) => Reflect.set(value(), key, member),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(value(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(value(), key),
    preventExtensions: () => false,
  });
  texts.set(proxy, text);
  return proxy;
}

/**
 * The text of a plain object around a member whose text is already made (a Lambda result under
 * `Payload`), built from that text instead of serialising the member again. Same output as
 * JSON.stringify: own enumerable keys in order, undefined and functions left out.
 */
function composed(value: object): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) || (prototype !== Object.prototype && prototype !== null) || 'toJSON' in value)
    return undefined;
  const entries = Object.entries(value);
  if (!entries.some(([, member]) => member !== null && typeof member === 'object' && texts.has(member)))
    return undefined;
  // Joined with `+`, which V8 keeps as a rope over the members' texts: the batch's text is not
  // copied into the wrapper's (a Task's parameters and result wrap it, five Tasks a batch), and is
  // only flattened if something reads the wrapper's characters (a STANDARD history does).
  let text = '{';
  for (const [key, member] of entries) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${jsonText(member)}`;
  }
  return text + '}';
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
