import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext } from '../frame.ts';

/**
 * `States.Runtime` with AWS's cause: "An error occurred while executing the state 'X' (entered at
 * the event id #N). …" (as AWS reports a path that matches nothing, e.g.
 * https://repost.aws/questions/QUYiQKP0XfThWEc_ahsMnLOA).
 */
export function runtimeError(
  ctx: Pick<StateContext, 'name' | 'enteredEventId'>,
  detail: string,
): StatesError {
  return new StatesError(
    StatesErrorNames.Runtime,
    `An error occurred while executing the state '${ctx.name}' (entered at the event id #${ctx.enteredEventId}). ${detail}`,
  );
}
