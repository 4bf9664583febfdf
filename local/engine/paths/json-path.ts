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

/** A JSONPath parsed once, when its definition is compiled; `read` runs it. */
export interface CompiledPath {
  readonly source: string;
  /** True when it selects at most one node (no wildcard, filter, slice, union or `..`). */
  readonly definite: boolean;
  /**
   * Reads as Step Functions does: a definite path gives its value, an indefinite one the array of
   * what it matched; a definite path that matches nothing throws `PathNotFoundError`.
   */
  read(scope: PathScope): unknown;
}

const indefinite = /\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]|@/;

export const isPath = (value: unknown): value is string => typeof value === 'string' && value.startsWith('$');

/** True when the path selects at most one node (no wildcard, filter, slice, union or `..`). */
export const isDefinitePath = (path: string): boolean => !indefinite.test(path);

type Root = (scope: PathScope) => unknown;

function rootOf(path: string): { root: Root; relative: string } {
  if (path.startsWith('$$')) return { root: (scope) => scope.context, relative: path.slice(1) };
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (!variable) return { root: (scope) => scope.input, relative: path };
  const name = variable[1]!;
  return {
    root: (scope) => {
      const variables = scope.variables ?? {};
      if (!Object.hasOwn(variables, name))
        throw new PathNotFoundError(path, `The variable '${name}' is not defined`);
      return variables[name];
    },
    relative: `$${path.slice(variable[0].length)}`,
  };
}

/** Parses a JSONPath (`$…`, `$$…` or `$variable…`) into a reader. */
export function compilePath(path: string): CompiledPath {
  const { root, relative } = rootOf(path);
  if (isDefinitePath(relative)) {
    const steps = JSONPath.toPathArray(relative).slice(1);
    return {
      source: path,
      definite: true,
      read(scope) {
        let node = root(scope);
        for (const step of steps) {
          if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step))
            throw new PathNotFoundError(path);
          node = (node as Record<string, unknown>)[step];
        }
        return node;
      },
    };
  }
  return {
    source: path,
    definite: false,
    read(scope) {
      const node = root(scope);
      if (node === null || typeof node !== 'object') throw new PathNotFoundError(path);
      return JSONPath({ path: relative, json: node as object, wrap: true });
    },
  };
}
