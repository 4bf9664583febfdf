import { z } from 'zod';
import { emptyCounts } from '../../engine/distributed-map/map-run-counts.ts';
import { ApiError } from '../api-error.ts';
import { pageFields, paginate } from '../pagination.ts';
import { defineAction } from '../services.ts';
import { executionOf } from './executions.ts';

export const describeMapRun = defineAction({
  schema: z.object({ mapRunArn: z.string() }).loose(),
  async run(input, services) {
    const run = services.store.mapRuns.get(input.mapRunArn);
    if (!run) throw new ApiError('ResourceNotFound', `Resource Not Found: '${input.mapRunArn}'`);
    return {
      mapRunArn: run.mapRunArn,
      executionArn: run.executionArn,
      status: run.status,
      startDate: run.startDate,
      ...(run.stopDate !== undefined ? { stopDate: run.stopDate } : {}),
      maxConcurrency: run.maxConcurrency,
      toleratedFailurePercentage: run.toleratedFailurePercentage,
      toleratedFailureCount: run.toleratedFailureCount,
      // Every count is required (API_MapRunItemCounts.html); records of older versions lack some.
      itemCounts: { ...emptyCounts(), ...run.itemCounts },
      executionCounts: { ...emptyCounts(), ...run.executionCounts },
      redriveCount: run.redriveCount,
      ...(run.redriveDate !== undefined ? { redriveDate: run.redriveDate } : {}),
    };
  },
});

export const listMapRuns = defineAction({
  schema: z
    .object({
      executionArn: z.string(),
      ...pageFields,
    })
    .loose(),
  async run(input, services) {
    executionOf(input.executionArn, services);
    const runs = [...services.store.mapRuns.values()].filter((r) => r.executionArn === input.executionArn);
    const { page, nextToken } = paginate(runs, input.maxResults, input.nextToken);
    return {
      mapRuns: page.map((r) => ({
        executionArn: r.executionArn,
        mapRunArn: r.mapRunArn,
        stateMachineArn: r.stateMachineArn,
        startDate: r.startDate,
        ...(r.stopDate !== undefined ? { stopDate: r.stopDate } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});
