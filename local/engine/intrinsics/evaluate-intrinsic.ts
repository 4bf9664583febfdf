import { StatesError, StatesErrorNames } from '../errors.ts';
import { compilePath, PathNotFoundError, type PathScope } from '../paths/json-path.ts';
import { callIntrinsic } from './functions.ts';
import { parseIntrinsic, type IntrinsicNode } from './parse-intrinsic.ts';

export { isIntrinsic, parseIntrinsic } from './parse-intrinsic.ts';

/** An intrinsic call with its paths compiled: evaluating it only reads and calls. */
export type CompiledIntrinsic = (scope: PathScope) => unknown;

function compileNode(node: IntrinsicNode): CompiledIntrinsic {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'path': {
      const path = compilePath(node.path);
      return (scope) => {
        try {
          return path.read(scope);
        } catch (error) {
          if (error instanceof PathNotFoundError)
            throw new StatesError(StatesErrorNames.IntrinsicFailure, error.message);
          throw error;
        }
      };
    }
    case 'call': {
      const args = node.args.map(compileNode);
      const name = node.name;
      return (scope) =>
        callIntrinsic(
          name,
          args.map((arg) => arg(scope)),
        );
    }
  }
}

/** Parses an intrinsic function call once; every failure when it runs is `States.IntrinsicFailure`. */
export function compileIntrinsic(expression: string): CompiledIntrinsic {
  return compileNode(parseIntrinsic(expression));
}
