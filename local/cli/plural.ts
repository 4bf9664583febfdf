/** `1 row`, `2 rows`, `1 batch`, `3 batches`: counts read as English. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
