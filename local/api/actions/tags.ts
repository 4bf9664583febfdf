import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { defineAction, type ApiServices } from '../services.ts';
import type { MachineRecord } from '../store/records.ts';

/** "Maximum number of tags per resource: 50" (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
const MAX_TAGS = 50;

// Tag keys 1–128 and values 0–256 characters (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Tag.html).
export const TagSchema = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) });
export type Tag = z.infer<typeof TagSchema>;

/**
 * The tagged resource: a state machine (not one of its versions or aliases). Activities take tags
 * too on AWS; this API has none yet, so an activity ARN is a resource it cannot find.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html
 */
function taggedMachine(arn: string, services: ApiServices): MachineRecord {
  const match = /^arn:aws[\w-]*:states:[^:]*:\d*:(stateMachine|activity):([^:]+)$/.exec(arn);
  if (!match)
    throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const machine = match[1] === 'stateMachine' ? services.store.machines.get(match[2]!) : undefined;
  if (!machine || machine.arn !== arn) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return machine;
}

/** `tags` over `existing`, a key given again taking its new value. */
export function mergeTags(existing: readonly Tag[], tags: readonly Tag[], resourceArn: string): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t.value]));
  for (const tag of tags) byKey.set(tag.key, tag.value);
  if (byKey.size > MAX_TAGS)
    throw new ApiError('TooManyTags', `Too many tags: a resource takes at most ${MAX_TAGS}`, 400, {
      resourceName: resourceArn,
    });
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export const tagResource = defineAction({
  schema: z.object({ resourceArn: z.string(), tags: z.array(TagSchema) }).loose(),
  async run(input, services) {
    const machine = taggedMachine(input.resourceArn, services);
    services.store.saveMachine({ ...machine, tags: mergeTags(machine.tags, input.tags, input.resourceArn) });
    return {};
  },
});

export const untagResource = defineAction({
  schema: z.object({ resourceArn: z.string(), tagKeys: z.array(z.string().min(1).max(128)) }).loose(),
  async run(input, services) {
    const machine = taggedMachine(input.resourceArn, services);
    const removed = new Set(input.tagKeys);
    services.store.saveMachine({ ...machine, tags: machine.tags.filter((t) => !removed.has(t.key)) });
    return {};
  },
});

export const listTagsForResource = defineAction({
  schema: z.object({ resourceArn: z.string() }).loose(),
  run: async (input, services) => ({ tags: taggedMachine(input.resourceArn, services).tags }),
});
