import { describe, expect, it } from '@jest/globals';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { definitionGraph } from '../../../local/console/ui/graph-model.ts';

const childIds = (node: ElkNode | undefined) => (node?.children ?? []).map((child) => child.id);
const edges = (node: ElkNode) => (node.edges ?? []).map((e) => `${e.sources[0]} -> ${e.targets[0]}`);

describe('definitionGraph', () => {
  it('nests Parallel branches and a Map item processor, with an edge per Next, Choice, Default and Catch', () => {
    const { root, info } = definitionGraph({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Next: 'Choose',
          Catch: [{ Next: 'Failed' }],
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  End: true,
                  ItemProcessor: {
                    StartAt: 'A',
                    States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } },
                  },
                },
              },
            },
          ],
        },
        Choose: { Type: 'Choice', Choices: [{ Next: 'Done' }], Default: 'Failed' },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail' },
      },
    });

    expect(childIds(root)).toEqual(['(start)', 'Fan', 'Choose', 'Done', 'Failed', '(end)']);
    const fan = root.children!.find((c) => c.id === 'Fan');
    expect(childIds(fan)).toEqual(['Fan/0', 'Fan/1']);
    const each = fan!.children![1]!.children![0]!;
    expect(each.id).toBe('Fan/1/Each');
    // The same name in two machines stays two nodes.
    expect(childIds(each.children![0])).toEqual(['Fan/1/Each/0/A', 'Fan/1/Each/0/B']);
    expect(edges(each.children![0]!)).toEqual(['Fan/1/Each/0/A -> Fan/1/Each/0/B']);
    expect(edges(root)).toEqual([
      '(start) -> Fan',
      'Fan -> Choose',
      'Fan -> Failed',
      'Choose -> Failed',
      'Choose -> Done',
      'Done -> (end)',
      'Failed -> (end)',
    ]);
    expect(info.get('Fan/1/Each/0/A')).toMatchObject({ kind: 'state', label: 'A', inChildExecutions: false });
    expect(info.get('Fan/0')).toMatchObject({ kind: 'branch', label: 'Branch 1' });
  });

  it('marks the states of a Distributed Map as running in child executions', () => {
    const { info } = definitionGraph({
      StartAt: 'Rows',
      States: {
        Rows: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED' },
            StartAt: 'Load',
            States: { Load: { Type: 'Task', End: true } },
          },
        },
      },
    });
    expect(info.get('Rows')).toMatchObject({ inChildExecutions: false });
    expect(info.get('Rows/0/Load')).toMatchObject({ label: 'Load', inChildExecutions: true });
  });
});
