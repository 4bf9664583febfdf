import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { placeholdersOf, readPipelineAsl } from '../../../workflow/definition.ts';
import { PipelineLambdas, RowStageNames, functionKeys } from '../../../workflow/resource-names.ts';

const asl = readPipelineAsl();

describe('the one list of functions (workflow/resource-names.ts)', () => {
  it('names every function-ARN placeholder of the ASL, and only those', () => {
    const inAsl = placeholdersOf(asl).filter((name) => name.endsWith('FunctionArn'));
    expect(functionKeys.map((key) => PipelineLambdas[key].arnPlaceholder).sort()).toEqual(inAsl);
  });

  it('points every function at a handler that exists', () => {
    for (const key of functionKeys) {
      const handler = new URL(
        `../../../functions/${PipelineLambdas[key].folder}/handler.ts`,
        import.meta.url,
      );
      expect(existsSync(handler)).toBe(true);
    }
  });

  it('lists the row stages in the order the item processor runs them', () => {
    const processor = JSON.parse(asl).States.ProcessCsvRows.ItemProcessor.States as Record<
      string,
      { Arguments?: { FunctionName?: string } }
    >;
    const invoked = Object.values(processor)
      .map((state) => state.Arguments?.FunctionName)
      .filter((name): name is string => name !== undefined);
    const stagePlaceholders = RowStageNames.map((stage) => `\${${PipelineLambdas[stage].arnPlaceholder}}`);
    expect(invoked.filter((name) => stagePlaceholders.includes(name))).toEqual(stagePlaceholders);
    expect(RowStageNames).toEqual(['validate', 'clean', 'transform', 'enrich', 'load']);
  });
});
