import { JSONPath } from 'jsonpath-plus';

/** What a JSONPath can read: `$` the input, `$$` the context object, `$name` a variable. */
export interface PathScope {
  input: unknown;
  context: unknown;
  variables?: Readonly<Record<string, unknown>>;
}

/** A path that matched nothing; the caller decides which States error that is. */
export class PathNotFoundError extends Error {
  override readonly name = 'PathNotFoundError';
  readonly path: string;
  constructor(path: string, message?: string) {
    super(message ?? `The JSONPath '${path}' could not be found in the input`);
    this.path = path;
  }
}

interface CompiledPath {
  /** `input`, `context` or a variable name. */
  root: { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };
  /** The path relative to its root, in jsonpath-plus syntax (`$...`). */
  relative: string;
  /** Steps of a definite path; undefined for wildcards, filters, slices and recursive descent. */
  steps: string[] | undefined;
}

const cache = new Map<string, CompiledPath>();
const indefinite = /\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]|@/;

export const isPath = (value: unknown): value is string => typeof value === 'string' && value.startsWith('$');

/** True when the path selects at most one node (no wildcard, filter, slice, union or `..`). */
export const isDefinitePath = (path: string): boolean => !indefinite.test(path);

function compile(path: string): CompiledPath {
  let compiled = cache.get(path);
  if (compiled) return compiled;
  let root: CompiledPath['root'];
  let relative: string;
  if (path.startsWith('$$')) {
    root = { kind: 'context' };
    relative = path.slice(1);
  } else {
    const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
    if (variable) {
      root = { kind: 'variable', name: variable[1]! };
      relative = `$${path.slice(variable[0].length)}`;
    } else {
      root = { kind: 'input' };
      relative = path;
    }
  }
  const steps = isDefinitePath(relative) ? JSONPath.toPathArray(relative).slice(1) : undefined;
  compiled = { root, relative, steps };
  if (cache.size > 10_000) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

function rootOf(compiled: CompiledPath, path: string, scope: PathScope): unknown {
  const root = compiled.root;
  if (root.kind === 'input') return scope.input;
  if (root.kind === 'context') return scope.context;
  const variables = scope.variables ?? {};
  if (!Object.hasOwn(variables, root.name)) {
    throw new PathNotFoundError(path, `The variable '${root.name}' is not defined`);
  }
  return variables[root.name];
}

/**
 * Reads a JSONPath as Step Functions does: a definite path gives its value, an indefinite one
 * the array of what it matched; a definite path that matches nothing throws `PathNotFoundError`.
 */
export function readPath(path: string, scope: PathScope): unknown {
  const compiled = compile(path);
  let node = rootOf(compiled, path, scope);
  if (compiled.steps) {
    for (const step of compiled.steps) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step)) {
        throw new PathNotFoundError(path);
      }
      node = (node as Record<string, unknown>)[step];
    }
    return node;
  }
  if (node === null || typeof node !== 'object') throw new PathNotFoundError(path);
  return JSONPath({ path: compiled.relative, json: node as object, wrap: true });
}
