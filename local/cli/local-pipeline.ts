import { resolve } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../services/cloud.ts';
import { deployPipeline, type DeployedPipeline, type UploadRouting } from '../stack.ts';

export interface RunningPipeline {
  cloud: LocalCloud;
  pipeline: DeployedPipeline;
  close(): Promise<void>;
}

/** The local cloud with the pipeline deployed in it: what `chute up` and `chute run` start. */
export async function startLocalPipeline(options: {
  port?: number;
  data: string;
  timeScale?: number;
  /** How uploads start executions (deployPipeline's defaults: small files batched by the pipe). */
  routing?: UploadRouting;
}): Promise<RunningPipeline> {
  const dataDir = resolve(options.data);
  let cloud: LocalCloud | undefined;
  try {
    cloud = await startLocalCloud({
      dataDir,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    });
    const pipeline = await deployPipeline(cloud, {
      dataDir,
      databaseUrl: process.env.DATABASE_URL,
      ...options.routing,
    });
    const started = cloud;
    return {
      cloud,
      pipeline,
      async close() {
        await started.close();
        await pipeline.close();
      },
    };
  } catch (error) {
    await cloud?.close();
    throw error;
  }
}
