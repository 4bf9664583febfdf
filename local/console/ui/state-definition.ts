// A state's definition, found by name anywhere in a state machine's ASL (names are unique across
// the whole machine, nested Parallel branches and Map item processors included).

/** The fields of a state that shape its input and output. */
export interface StateDataFields {
  QueryLanguage?: string;
  InputPath?: string | null;
  Parameters?: unknown;
  Arguments?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  OutputPath?: string | null;
  Output?: unknown;
}

interface Machine {
  QueryLanguage?: string;
  States?: Record<
    string,
    StateDataFields & { Branches?: Machine[]; ItemProcessor?: Machine; Iterator?: Machine }
  >;
}

function search(
  machine: Machine | undefined,
  name: string,
  language: string | undefined,
): StateDataFields | undefined {
  const inherited = machine?.QueryLanguage ?? language;
  for (const [stateName, state] of Object.entries(machine?.States ?? {})) {
    if (stateName === name)
      return { ...state, QueryLanguage: state.QueryLanguage ?? inherited ?? 'JSONPath' };
    for (const inner of [...(state.Branches ?? []), state.ItemProcessor, state.Iterator]) {
      const found = search(inner, name, state.QueryLanguage ?? inherited);
      if (found) return found;
    }
  }
  return undefined;
}

/** The data fields of the state called `name`, with the query language it uses. */
export function stateDefinition(definition: string, name: string): StateDataFields | undefined {
  try {
    return search(JSON.parse(definition) as Machine, name, undefined);
  } catch {
    return undefined;
  }
}
