import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { isConsoleRequest } from '../../local/console/serve-console.ts';
import { startSfn, type RunningSfn } from '../support/sfn-server.ts';

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
}, 60_000);
afterAll(() => sfn.close());

describe('the console on the Step Functions endpoint', () => {
  it('answers every path under /console/ with the page, so pasted deep links work', async () => {
    for (const path of [
      '/console/',
      '/console/executions/arn:aws:states:us-east-1:000000000000:execution:m:e',
      '/console/map-runs/arn:aws:states:us-east-1:000000000000:mapRun:m/Map:abc',
      '/console/state-machines/arn:aws:states:us-east-1:000000000000:stateMachine:m',
    ]) {
      const response = await fetch(`${sfn.url}${path}`);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([
        path,
        200,
        'text/html; charset=utf-8',
      ]);
      expect(await response.text()).toContain('/console/assets/app.js');
    }
  }, 60_000);

  it('serves the bundle and nothing else', async () => {
    const app = await fetch(`${sfn.url}/console/assets/app.js`);
    expect([app.status, app.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    for (const path of [
      '/console/assets/index.html',
      '/console/assets/..%2f..%2fbuild.ts',
      '/console/assets/x.js',
    ])
      expect([path, (await fetch(`${sfn.url}${path}`)).status]).toEqual([path, 404]);
    const bare = await fetch(`${sfn.url}/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/console/']);
  });

  it('leaves the API as it was', async () => {
    const listed = await sfn.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines).toEqual([]);
  });

  it('is a browser GET only: a signed request (an S3 GET of a bucket called console) is not it', () => {
    const request = (method: string, url: string, headers: Record<string, string> = {}) =>
      ({ method, url, headers }) as IncomingMessage;
    expect(isConsoleRequest(request('GET', '/console/'))).toBe(true);
    expect(isConsoleRequest(request('POST', '/console/'))).toBe(false);
    expect(isConsoleRequest(request('GET', '/consoles/x'))).toBe(false);
    expect(isConsoleRequest(request('GET', '/console/key', { authorization: 'AWS4-HMAC-SHA256 …' }))).toBe(
      false,
    );
    expect(isConsoleRequest(request('GET', '/console/key?X-Amz-Signature=abc'))).toBe(false);
  });
});
