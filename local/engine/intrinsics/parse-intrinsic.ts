import { StatesError, StatesErrorNames } from '../errors.ts';

/** The syntax tree of an intrinsic function call such as `States.Format('{}', $.name)`. */
export type IntrinsicNode =
  | { kind: 'call'; name: string; args: IntrinsicNode[] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; path: string };

const failure = (message: string) => new StatesError(StatesErrorNames.IntrinsicFailure, message);

class Parser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): IntrinsicNode {
    const node = this.#call();
    this.#spaces();
    if (this.#at !== this.#text.length) this.#fail('unexpected text after the closing parenthesis');
    return node;
  }

  #fail(message: string): never {
    throw failure(`Invalid intrinsic function '${this.#text}': ${message} (at character ${this.#at})`);
  }

  #spaces(): void {
    while (this.#text[this.#at] === ' ') this.#at++;
  }

  #call(): IntrinsicNode {
    const name = /^States\.[A-Za-z0-9]+/.exec(this.#text.slice(this.#at))?.[0];
    if (!name) this.#fail('expected a function such as States.Format');
    this.#at += name.length;
    this.#spaces();
    if (this.#text[this.#at] !== '(') this.#fail(`expected '(' after ${name}`);
    this.#at++;
    const args: IntrinsicNode[] = [];
    this.#spaces();
    if (this.#text[this.#at] === ')') {
      this.#at++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.#spaces();
      args.push(this.#argument());
      this.#spaces();
      const next = this.#text[this.#at++];
      if (next === ')') return { kind: 'call', name, args };
      if (next !== ',') this.#fail("expected ',' or ')'");
    }
  }

  #argument(): IntrinsicNode {
    const rest = this.#text.slice(this.#at);
    if (rest.startsWith("'")) return this.#string();
    if (rest.startsWith('$')) return this.#path();
    if (rest.startsWith('States.')) return this.#call();
    const word = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)(?=\s*[,)])/.exec(rest)?.[1];
    if (word === undefined) this.#fail('expected a string, number, boolean, null, path or function');
    this.#at += word.length;
    return {
      kind: 'literal',
      value: word === 'null' ? null : word === 'true' ? true : word === 'false' ? false : Number(word),
    };
  }

  #string(): IntrinsicNode {
    this.#at++;
    let value = '';
    for (;;) {
      const c = this.#text[this.#at++];
      if (c === undefined) this.#fail('unterminated string');
      if (c === "'") return { kind: 'literal', value };
      if (c === '\\') {
        const escaped = this.#text[this.#at++];
        if (escaped === undefined) this.#fail('unterminated escape');
        // `\{` and `\}` stay escaped so States.Format can tell literal braces from placeholders.
        value += escaped === '{' || escaped === '}' ? `\\${escaped}` : escaped;
      } else {
        value += c;
      }
    }
  }

  #path(): IntrinsicNode {
    const start = this.#at;
    let depth = 0;
    let quote: string | undefined;
    while (this.#at < this.#text.length) {
      const c = this.#text[this.#at]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.#at++;
    }
    return { kind: 'path', path: this.#text.slice(start, this.#at).trim() };
  }
}

/** Parses an intrinsic call once, when its definition is compiled; a syntax error is `States.IntrinsicFailure`. */
export function parseIntrinsic(expression: string): IntrinsicNode {
  return new Parser(expression.trim()).parse();
}

export const isIntrinsic = (value: unknown): value is string =>
  typeof value === 'string' && /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
