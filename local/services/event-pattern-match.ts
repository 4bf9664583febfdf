/**
 * EventBridge event patterns (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 * every field of the pattern must match; a leaf is an array of alternatives, each a value or a
 * content filter (prefix, suffix, wildcard, anything-but, exists, numeric, equals-ignore-case,
 * cidr is not supported); `$or` takes alternatives of sub-patterns.
 */
export type EventPattern = { [field: string]: unknown };

type Filter = Record<string, unknown>;

function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

function numericMatch(conditions: unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i] as string;
    const bound = conditions[i + 1] as number;
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}

function matchesAlternative(alternative: unknown, value: unknown, present: boolean): boolean {
  if (alternative === null || typeof alternative !== 'object') return present && value === alternative;
  const filter = alternative as Filter;
  if ('exists' in filter) return filter.exists === present;
  if (!present) return false;
  if ('prefix' in filter) {
    const prefix = filter.prefix;
    if (typeof prefix === 'string') return typeof value === 'string' && value.startsWith(prefix);
    const ci = (prefix as { 'equals-ignore-case'?: string })['equals-ignore-case'];
    return (
      typeof value === 'string' && typeof ci === 'string' && value.toLowerCase().startsWith(ci.toLowerCase())
    );
  }
  if ('suffix' in filter) {
    const suffix = filter.suffix;
    if (typeof suffix === 'string') return typeof value === 'string' && value.endsWith(suffix);
    const ci = (suffix as { 'equals-ignore-case'?: string })['equals-ignore-case'];
    return (
      typeof value === 'string' && typeof ci === 'string' && value.toLowerCase().endsWith(ci.toLowerCase())
    );
  }
  if ('wildcard' in filter)
    return typeof value === 'string' && wildcardMatch(filter.wildcard as string, value);
  if ('equals-ignore-case' in filter) {
    return (
      typeof value === 'string' && value.toLowerCase() === String(filter['equals-ignore-case']).toLowerCase()
    );
  }
  if ('numeric' in filter) return numericMatch(filter.numeric as unknown[], value);
  if ('anything-but' in filter) {
    const excluded = filter['anything-but'];
    if (Array.isArray(excluded)) return !excluded.includes(value);
    if (excluded && typeof excluded === 'object') return !matchesAlternative(excluded, value, present);
    return value !== excluded;
  }
  return false;
}

function matchesLeaf(alternatives: unknown[], value: unknown, present: boolean): boolean {
  // An array value matches when any of its elements matches.
  if (Array.isArray(value))
    return value.some((item) => alternatives.some((alt) => matchesAlternative(alt, item, true)));
  return alternatives.some((alt) => matchesAlternative(alt, value, present));
}

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  for (const [field, expected] of Object.entries(pattern)) {
    if (field === '$or') {
      if (!(expected as EventPattern[]).some((sub) => matchesPattern(sub, event))) return false;
      continue;
    }
    const record = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : {};
    const present = Object.hasOwn(record, field);
    const value = record[field];
    if (Array.isArray(expected)) {
      if (!matchesLeaf(expected, value, present)) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (!present || !matchesPattern(expected as EventPattern, value)) return false;
    } else {
      return false;
    }
  }
  return true;
}
