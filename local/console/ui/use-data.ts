import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** Loading state of one fetch: data, or the error that stopped it. */
export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads with `load` when `key` changes, and again every `pollMs` while `poll(data)` says so (a
 * running execution updates live). A reload started before a newer one never overwrites it.
 */
export function useData<T>(
  key: string,
  load: () => Promise<T>,
  options: { pollMs?: number; poll?: (data: T) => boolean } = {},
): Loaded<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: Error; loading: boolean }>({
    key,
    loading: true,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ key, data, loading: false });
    } catch (error) {
      if (mine === generation.current)
        setState((s) => ({ ...s, key, error: error as Error, loading: false }));
    }
  }, [key]);
  useEffect(() => {
    setState({ key, loading: true });
    void reload();
  }, [key, reload]);
  const data = state.key === key ? state.data : undefined;
  const polling = data !== undefined && options.pollMs !== undefined && (options.poll?.(data) ?? true);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void reload(), options.pollMs);
    return () => clearInterval(timer);
  }, [polling, reload, options.pollMs]);
  return { data, error: state.key === key ? state.error : undefined, loading: state.loading, reload };
}
