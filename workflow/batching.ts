export const Batching = {
  smallFileMaxBytes: 64 * 1024,
  filesPerExecution: 100,
  windowSeconds: 60,
  filesPerChild: 10,
} as const;
