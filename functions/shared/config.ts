import { z } from 'zod';
import { ConfigurationError } from './errors.ts';

/** The environment the Lambdas read, parsed once; what each needs is checked where it is used. */
const EnvironmentSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DB_SECRET_ARN: z.string().startsWith('arn:').optional(),
  TOPIC_ARN: z.string().startsWith('arn:').optional(),
  LEDGER_TABLE: z.string().min(1).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

/** Parses `env`; a malformed variable is a ConfigurationError naming it. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

/** Returns `value` or throws a ConfigurationError saying which variable is missing. */
export function requireSetting<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ConfigurationError(`${name} is not set`);
  return value;
}
