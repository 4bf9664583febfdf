import { describe, expect, it } from '@jest/globals';
import { hrefOf, parseRoute } from '../../../local/console/ui/routes.ts';

const execution = 'arn:aws:states:us-east-1:000000000000:execution:chute-pipeline:3f1c';
const mapRun = 'arn:aws:states:us-east-1:000000000000:mapRun:chute-pipeline/Rows:9b2e';
const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:chute-pipeline';

describe('console routes', () => {
  it.each([
    ['/console/', { page: 'state-machines' }],
    ['/console/state-machines', { page: 'state-machines' }],
    [`/console/executions/${execution}`, { page: 'execution', arn: execution }],
    [`/console/map-runs/${mapRun}`, { page: 'map-run', arn: mapRun }],
    [`/console/state-machines/${machine}`, { page: 'state-machine', arn: machine }],
    ['/console/nothing', { page: 'not-found', path: '/console/nothing' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it('reads back every link it makes, ARNs with "/" and spaces included', () => {
    const named = 'arn:aws:states:us-east-1:000000000000:execution:m:a name/with slash';
    expect(parseRoute(hrefOf.execution(named))).toEqual({ page: 'execution', arn: named });
    expect(parseRoute(hrefOf.mapRun(mapRun))).toEqual({ page: 'map-run', arn: mapRun });
    expect(hrefOf.mapRun(mapRun)).toBe(`/console/map-runs/${mapRun}`);
  });
});
