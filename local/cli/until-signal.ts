/**
 * Resolves on the first Ctrl-C (SIGINT), SIGTERM or SIGHUP, or when the process that started
 * this one goes away (`npx` exits on a signal without passing it on), so a server can close
 * cleanly. Signals that arrive while it closes are ignored: the same Ctrl-C reaches every
 * process of the terminal's group, and the wrapper in bin/chute.js forwards it once more.
 */
export function untilSignal(): Promise<NodeJS.Signals | 'parent gone'> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const ignore = () => {};
    const stop = (why: NodeJS.Signals | 'parent gone') => {
      clearInterval(watch);
      for (const signal of signals) {
        process.off(signal, stop);
        process.on(signal, ignore);
      }
      resolve(why);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const signal of signals) process.on(signal, stop);
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop('parent gone');
    }, 500);
  });
}
