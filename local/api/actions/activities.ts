import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { checkName } from '../arns.ts';
import { pageFields, paginate } from '../pagination.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { ActivityRecord } from '../store/records.ts';

const activityArnOf = (services: ApiServices, name: string) =>
  `arn:aws:states:${services.account.region}:${services.account.accountId}:activity:${name}`;

function activityOf(arn: string, services: ApiServices): ActivityRecord {
  if (!/^arn:aws[\w-]*:states:[^:]*:\d*:activity:[^:]+$/.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const activity = services.store.activities.get(arn);
  if (!activity) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
  return activity;
}

const Tags = z.array(z.object({ key: z.string(), value: z.string() })).optional();

/**
 * CreateActivity is idempotent: the same name answers the same ARN
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateActivity.html).
 */
export const createActivity = defineAction({
  schema: z.object({ name: z.string(), tags: Tags }).loose(),
  async run(input, services) {
    checkName(input.name, 'activity');
    const arn = activityArnOf(services, input.name);
    const existing = services.store.activities.get(arn);
    if (existing) return { activityArn: existing.activityArn, creationDate: existing.creationDate };
    const record: ActivityRecord = {
      activityArn: arn,
      name: input.name,
      creationDate: services.now(),
      tags: input.tags ?? [],
    };
    services.store.saveActivity(record);
    return { activityArn: record.activityArn, creationDate: record.creationDate };
  },
});

export const describeActivity = defineAction({
  schema: z.object({ activityArn: z.string() }).loose(),
  async run(input, services) {
    const { activityArn, name, creationDate } = activityOf(input.activityArn, services);
    return { activityArn, name, creationDate };
  },
});

export const listActivities = defineAction({
  schema: z.object(pageFields).loose(),
  async run(input, services) {
    const all = [...services.store.activities.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      activities: page.map(({ activityArn, name, creationDate }) => ({ activityArn, name, creationDate })),
      ...(nextToken ? { nextToken } : {}),
    };
  },
});

export const deleteActivity = defineAction({
  schema: z.object({ activityArn: z.string() }).loose(),
  async run(input, services) {
    await services.store.deleteActivity(input.activityArn);
    return {};
  },
});

/**
 * GetActivityTask long-polls: it answers as soon as a task is scheduled, or after 60 seconds
 * with no taskToken
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html).
 */
export const getActivityTask = defineAction({
  schema: z.object({ activityArn: z.string(), workerName: z.string().max(80).optional() }).loose(),
  async run(input, services) {
    const activity = activityOf(input.activityArn, services);
    const task = await services.taskTokens.poll(
      activity.activityArn,
      input.workerName,
      services.activityPollMs,
    );
    return task ?? {};
  },
});
