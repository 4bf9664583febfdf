import { useEffect, useState } from 'preact/hooks';
import { fileOf } from './pipeline-file.ts';
import { sfn } from './sfn-client.ts';

// An execution's input never changes: each is described once per page load.
const known = new Map<string, string | undefined>();

/**
 * The file each shown execution is for (the pipeline's executions), from their inputs:
 * ListExecutions does not return inputs, so the rows on screen are described, once each.
 */
export function useFiles(executionArns: string[]): Map<string, string | undefined> {
  const [, setVersion] = useState(0);
  const key = executionArns.join(' ');
  useEffect(() => {
    let cancelled = false;
    const missing = executionArns.filter((arn) => !known.has(arn));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((arn) =>
        sfn.describeExecution(arn).then(
          (execution) => known.set(arn, fileOf(execution.input)),
          () => undefined,
        ),
      ),
    ).then(() => {
      if (!cancelled) setVersion((v) => v + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [key]); // `key` stands for the ARNs: a new array each render, the same list
  return known;
}
