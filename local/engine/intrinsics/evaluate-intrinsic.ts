import { StatesError, StatesErrorNames } from '../errors.ts';
import { PathNotFoundError, readPath, type PathScope } from '../paths/json-path.ts';
import { callIntrinsic } from './functions.ts';
import { parseIntrinsic, type IntrinsicNode } from './parse-intrinsic.ts';

export { isIntrinsic, parseIntrinsic } from './parse-intrinsic.ts';

function evaluate(node: IntrinsicNode, scope: PathScope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      try {
        return readPath(node.path, scope);
      } catch (error) {
        if (error instanceof PathNotFoundError)
          throw new StatesError(StatesErrorNames.IntrinsicFailure, error.message);
        throw error;
      }
    case 'call':
      return callIntrinsic(
        node.name,
        node.args.map((arg) => evaluate(arg, scope)),
      );
  }
}

/** Evaluates an intrinsic function call; every failure is `States.IntrinsicFailure`. */
export function evaluateIntrinsic(expression: string, scope: PathScope): unknown {
  return evaluate(parseIntrinsic(expression), scope);
}
