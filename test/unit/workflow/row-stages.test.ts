import { describe, expect, it } from '@jest/globals';
import { readPipelineAsl } from '../../../workflow/definition.ts';
import { composeRowStages, rowStageStates, transientRetry } from '../../../workflow/row-stages.ts';
import { RowStageNames } from '../../../workflow/resource-names.ts';

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Retry?: unknown[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Arguments?: { FunctionName?: string };
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
}
type States = Record<string, State>;

const machine = JSON.parse(readPipelineAsl()) as { States: States };

/** Every state name of the machine, nested processors included. */
function allNames(states: States): string[] {
  return Object.entries(states).flatMap(([name, state]) => [
    name,
    ...(state.ItemProcessor ? allNames(state.ItemProcessor.States) : []),
  ]);
}

const processors = {
  Csv: machine.States.ProcessCsvRows!.ItemProcessor!.States,
  Json: machine.States.ProcessJsonRows!.ItemProcessor!.States,
  Jsonl: machine.States.ProcessJsonlRows!.ItemProcessor!.States,
  File: machine.States.ProcessFileBatch!.ItemProcessor!.States.LoadFiles!.ItemProcessor!.States,
};

/** The stage chain of a processor with its prefix taken off, and where it leads. */
function chainOf(prefix: string, states: States) {
  const names = [
    ...RowStageNames.map((s) => `${s[0]!.toUpperCase()}${s.slice(1)}Rows`),
    'SendToDeadLetterQueue',
  ];
  return JSON.parse(
    JSON.stringify(Object.fromEntries(names.map((name) => [name, states[`${prefix}${name}`]]))).replaceAll(
      `"${prefix}`,
      '"',
    ),
  ) as States;
}

describe('the row stages, written once (workflow/row-stages.ts)', () => {
  it('gives every processor the same stage chain: validate → clean → transform → enrich → load', () => {
    const chains = Object.entries(processors).map(([prefix, states]) => chainOf(prefix, states));
    // Only where the chain leads differs: the row Maps end at LoadRows and fail after the dead
    // letter; the batch child notifies the file or records its failure.
    const withoutExits = chains.map((chain) => {
      const { LoadRows, SendToDeadLetterQueue, ...stages } = chain;
      const { Next: _n, End: _e, ...load } = LoadRows!;
      const { Next: _f, ...deadLetter } = SendToDeadLetterQueue!;
      return { ...stages, LoadRows: load, SendToDeadLetterQueue: deadLetter };
    });
    for (const chain of withoutExits.slice(1)) expect(chain).toEqual(withoutExits[0]);
    expect(chains[0]!.ValidateRows!.Next).toBe('CleanRows');
    expect(chains[0]!.EnrichRows!.Next).toBe('LoadRows');
    expect(chains[0]!.LoadRows!.End).toBe(true);
    expect(processors.File.FileLoadRows!.Next).toBe('NotifyBatchFile');
    expect(processors.File.FileSendToDeadLetterQueue!.Next).toBe('RecordFileFailure');
  });

  it('retries transient errors and catches everything into the dead letter on every stage', () => {
    for (const [prefix, states] of Object.entries(processors)) {
      for (const stage of RowStageNames) {
        const state = states[`${prefix}${stage[0]!.toUpperCase()}${stage.slice(1)}Rows`]!;
        expect(state.Retry).toEqual([transientRetry]);
        expect(state.Catch).toEqual([
          expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: `${prefix}SendToDeadLetterQueue` }),
        ]);
      }
    }
  });

  it('keeps every state name unique in the machine', () => {
    const names = allNames(machine.States);
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('refuses a spec it cannot honour, and never overwrites a written state', () => {
    const processor = (spec: unknown, states: States = {}) => ({
      ItemProcessor: { StartAt: 'XValidateRows', RowStages: spec, States: states },
    });
    expect(() => composeRowStages(processor({ Prefix: 'x', OnFailure: 'F' }))).toThrow(/PascalCase/);
    expect(() => composeRowStages(processor({ Prefix: 'X' }))).toThrow(/RowStages needs/);
    expect(() =>
      composeRowStages(
        processor({ Prefix: 'X', OnFailure: 'F' }, { XLoadRows: { Type: 'Pass', End: true } }),
      ),
    ).toThrow(/would overwrite XLoadRows/);
    expect(Object.keys(rowStageStates({ Prefix: 'X', OnFailure: 'F' }))).toEqual([
      'XValidateRows',
      'XCleanRows',
      'XTransformRows',
      'XEnrichRows',
      'XLoadRows',
      'XSendToDeadLetterQueue',
    ]);
  });
});
