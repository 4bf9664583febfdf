import { useEffect, useState } from 'preact/hooks';
import { callSfn } from './sfn-client.ts';
import type { HistoryEvent } from './sfn-types.ts';

/** An execution's history as far as it has been read, and whether that is all of it. */
export interface History {
  events: HistoryEvent[];
  complete: boolean;
  error: Error | undefined;
}

/**
 * Reads the history page by page (1,000 events each, AWS's largest page), showing each page as it
 * comes on the first read; a re-read (`version` changed: the execution moved on) keeps the last
 * complete history on screen until the new one is whole, so a live page does not flicker.
 */
export function useHistory(executionArn: string, version: unknown): History {
  const [history, setHistory] = useState<History & { arn: string }>({
    arn: executionArn,
    events: [],
    complete: false,
    error: undefined,
  });
  useEffect(() => {
    if (version === undefined) return;
    let cancelled = false;
    void (async () => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await callSfn<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
            executionArn,
            maxResults: 1000,
            ...(nextToken ? { nextToken } : {}),
          });
          if (cancelled) return;
          events.push(...page.events);
          nextToken = page.nextToken;
          const complete = !nextToken;
          setHistory((was) =>
            complete || was.arn !== executionArn || !was.complete
              ? { arn: executionArn, events: [...events], complete, error: undefined }
              : was,
          );
        } while (nextToken);
      } catch (error) {
        if (!cancelled) setHistory((was) => ({ ...was, error: error as Error }));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [executionArn, version]);
  return history.arn === executionArn ? history : { events: [], complete: false, error: undefined };
}
