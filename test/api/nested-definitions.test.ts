import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

type Machine = { StartAt: string; States: Record<string, object> };
const leaf: Machine = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true } } };
const nest = (depth: number, wrap: (inner: Machine) => object): Machine => {
  let machine = leaf;
  for (let level = 0; level < depth; level++)
    machine = { StartAt: `L${level}`, States: { [`L${level}`]: wrap(machine) } };
  return machine;
};
const parallel = (inner: Machine) => ({ Type: 'Parallel', Branches: [inner], End: true });
const map = (inner: Machine) => ({ Type: 'Map', ItemProcessor: inner, End: true });

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
  // The first validation loads and compiles the schemas: not what is measured here.
  await sfn.client.send(
    new CreateStateMachineCommand({ name: 'warm-up', definition: JSON.stringify(leaf), roleArn }),
  );
});
afterAll(async () => {
  await sfn.close();
});

// Issue 12: validation took twice as long per level of nesting (asl-validator's schema checks
// each Parallel and Map both as JSONPath and as JSONata, nested states included): 22 levels
// blocked the event loop for 13 s. The depths run in order and stop at the first over the
// bound, so a regression fails within seconds instead of hanging at 2^40.
describe('validating deeply nested states takes linear time', () => {
  it.each([
    ['Parallel', parallel],
    ['Map', map],
  ])(
    '%s states nested 40 levels deep are created within 2 s',
    async (type, wrap) => {
      for (const depth of [10, 20, 30, 40]) {
        const definition = JSON.stringify(nest(depth, wrap));
        const started = performance.now();

        const { stateMachineArn } = await sfn.client.send(
          new CreateStateMachineCommand({ name: `nested-${type}-${depth}`, definition, roleArn }),
        );

        const ms = Math.round(performance.now() - started);
        expect({ depth, ms, underTwoSeconds: ms < 2000 }).toMatchObject({ depth, underTwoSeconds: true });
        expect(stateMachineArn).toBeDefined();
      }
    },
    30_000,
  );

  // 15 levels, not 40: this checks what is found, not how fast, and must end even without the fix.
  it('still finds a problem 15 levels down', async () => {
    const broken = nest(15, parallel);
    let inner = broken;
    for (let level = 14; level >= 0; level--)
      inner = (inner.States[`L${level}`] as { Branches: Machine[] }).Branches[0]!;
    inner.States.Leaf = { Type: 'Pass', Next: 'Nowhere' };

    const { result, diagnostics } = await sfn.client.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(broken) }),
    );

    expect(result).toBe('FAIL');
    expect(diagnostics!.map((d) => d.code)).toContain('MISSING_TRANSITION_TARGET');
  }, 30_000);
});
