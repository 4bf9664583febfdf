import { DiagnosticCodes, error, schemaError, type Diagnostic } from './diagnostic.ts';

type Fields = Record<string, unknown>;

/** Where a state can go, with the place AWS names when the target is missing. */
function targetsOf(state: Fields, at: string): { target: string; at: string }[] {
  const targets: { target: string; at: string }[] = [];
  const add = (value: unknown, where: string) => {
    if (typeof value === 'string') targets.push({ target: value, at: where });
  };
  add(state.Next, `${at}/Next`);
  add(state.Default, `${at}/Default`);
  for (const [field, list] of [
    ['Choices', state.Choices],
    ['Catch', state.Catch],
  ] as const) {
    if (Array.isArray(list))
      list.forEach((entry: Fields, i) => add(entry?.Next, `${at}/${field}[${i}]/Next`));
  }
  return targets;
}

const endsByType = new Set(['Succeed', 'Fail']);
const withoutTransition = new Set(['Succeed', 'Fail', 'Choice']);

/** `Next` xor `End` on every state that is not terminal or a Choice by its type. */
export function checkNextOrEnd(state: Fields, at: string, found: Diagnostic[]): void {
  if (withoutTransition.has(state.Type as string)) return;
  const hasNext = state.Next !== undefined;
  const ends = state.End === true;
  if (hasNext && ends)
    found.push(schemaError('There should only be one of the following fields: [Next, End]', at));
  if (!hasNext && !ends) {
    found.push(schemaError('This object should have only one of the following fields: [Next, End]', at));
  }
}

/**
 * Transitions of one States block: targets that name no state in it, and states nothing reaches
 * from StartAt (both MISSING_TRANSITION_TARGET on AWS). At the top level a workflow without any
 * terminal state is MISSING_END_STATE, which AWS reports instead of the unreachable states
 * (measured on AWS: https://github.com/floci-io/floci/pull/2786).
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
export function checkTransitions(
  machine: { StartAt: string; States: Record<string, unknown> },
  at: string,
  topLevel: boolean,
  found: Diagnostic[],
): void {
  const states = machine.States;
  const fieldsOf = (name: string): Fields => {
    const state = states[name];
    return state !== null && typeof state === 'object' ? (state as Fields) : {};
  };
  for (const name of Object.keys(states)) {
    for (const { target, at: where } of targetsOf(fieldsOf(name), `${at}/States/${name}`)) {
      if (!Object.hasOwn(states, target)) {
        found.push(error(DiagnosticCodes.MissingTarget, `Missing 'Next' target: ${target}`, where));
      }
    }
  }
  const startAt = machine.StartAt;
  if (!Object.hasOwn(states, startAt)) {
    found.push(error(DiagnosticCodes.MissingTarget, `Missing 'Next' target: ${startAt}`, `${at}/StartAt`));
  }
  const terminal = Object.keys(states).some((name) => {
    const state = fieldsOf(name);
    return state.End === true || endsByType.has(state.Type as string);
  });
  if (topLevel && !terminal) {
    found.push(error(DiagnosticCodes.MissingEndState, 'Workflow has no terminal state'));
    return;
  }
  const reached = new Set<string>();
  const pending = Object.hasOwn(states, startAt) ? [startAt] : [];
  for (const name of pending) reached.add(name);
  while (pending.length) {
    const name = pending.pop()!;
    for (const { target } of targetsOf(fieldsOf(name), '')) {
      if (Object.hasOwn(states, target) && !reached.has(target)) {
        reached.add(target);
        pending.push(target);
      }
    }
  }
  for (const name of Object.keys(states)) {
    if (!reached.has(name)) {
      found.push(
        error(DiagnosticCodes.MissingTarget, `State "${name}" is not reachable.`, `${at}/States/${name}`),
      );
    }
  }
}
