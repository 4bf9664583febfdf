import type { StoredEvent } from './store/state-store.ts';

/**
 * Where a redrive starts: the top-level state that was entered last and never exited, with the
 * input it entered with (from its `…StateEntered` event). Top-level states are those entered from
 * the execution's start, its last redrive, or the exit of another top-level state. Variables
 * are restored from the `assignedVariables` of the top-level states that exited.
 */
export function findRedriveStart(
  history: readonly StoredEvent[],
): { stateName: string; input: unknown; variables: Record<string, unknown> } | undefined {
  const topLevel = new Set<number>();
  // Variables as the top-level states left them (their Exited events carry what they assigned).
  const variables: Record<string, unknown> = {};
  let open: { stateName: string; input: unknown; id: number } | undefined;
  for (const event of history) {
    if (event.type === 'ExecutionStarted' || event.type === 'ExecutionRedriven') {
      topLevel.add(event.id);
      continue;
    }
    const entered = event.stateEnteredEventDetails as { name: string; input: string } | undefined;
    if (entered && topLevel.has(event.previousEventId)) {
      open = { stateName: entered.name, input: JSON.parse(entered.input), id: event.id };
      continue;
    }
    const exited = event.stateExitedEventDetails as
      { name: string; assignedVariables?: Record<string, string> } | undefined;
    if (exited && open && exited.name === open.stateName) {
      topLevel.add(event.id);
      open = undefined;
      for (const [name, json] of Object.entries(exited.assignedVariables ?? {}))
        variables[name] = JSON.parse(json);
    }
  }
  return open && { stateName: open.stateName, input: open.input, variables };
}
