import { createHash } from 'node:crypto';
import { z } from 'zod';
import { collapseWhitespace, isBlank, parseBoundedNumber, parseTimestamp } from '../normalise.ts';
import type { Dataset, RowResult } from './dataset.ts';

/** One JSONL line of an application log. */
const RawLogSchema = z.looseObject({
  timestamp: z.union([z.string(), z.number()]),
  level: z.string(),
  service: z.string(),
  message: z.string(),
  request_id: z.union([z.string(), z.null()]).optional(),
  latency_ms: z.union([z.number(), z.string(), z.null()]).optional(),
});
type RawLog = z.infer<typeof RawLogSchema>;

interface CleanLog {
  ts: string;
  level: string;
  service: string;
  message: string;
  request_id: string | null;
  latency_ms: number | null;
}

export interface LogRow extends Record<string, unknown> {
  event_id: string;
  ts: string;
  level: string;
  severity: number;
  service: string;
  team: string | null;
  message: string;
  request_id: string | null;
  latency_ms: number | null;
}

/** OpenTelemetry severity numbers, with the aliases log libraries commonly write. */
const severities: Record<string, { level: string; severity: number }> = {
  TRACE: { level: 'TRACE', severity: 1 },
  DEBUG: { level: 'DEBUG', severity: 5 },
  INFO: { level: 'INFO', severity: 9 },
  NOTICE: { level: 'INFO', severity: 10 },
  WARN: { level: 'WARN', severity: 13 },
  WARNING: { level: 'WARN', severity: 13 },
  ERROR: { level: 'ERROR', severity: 17 },
  ERR: { level: 'ERROR', severity: 17 },
  FATAL: { level: 'FATAL', severity: 21 },
  CRITICAL: { level: 'FATAL', severity: 21 },
};

function cleanLog(raw: RawLog): RowResult<CleanLog> | null {
  if ([raw.timestamp, raw.level, raw.service, raw.message].every(isBlank)) return null;
  const reasons: string[] = [];
  const ts = parseTimestamp(raw.timestamp, 'timestamp');
  if (!ts.ok) reasons.push(ts.reason);
  const level = collapseWhitespace(raw.level).toUpperCase();
  if (!severities[level]) reasons.push(`level: '${raw.level}' is not a log level`);
  const service = collapseWhitespace(raw.service).toLowerCase();
  if (!service) reasons.push('service: is empty');
  // Messages keep their inner whitespace (stack traces, aligned output); only the ends are trimmed.
  const message = raw.message.trim();
  let latency_ms: number | null = null;
  if (!isBlank(raw.latency_ms)) {
    const parsed = parseBoundedNumber(raw.latency_ms, 'latency_ms', { min: 0, max: 86_400_000 });
    if (parsed.ok) latency_ms = parsed.value;
    else reasons.push(parsed.reason);
  }
  if (reasons.length > 0 || !ts.ok) return { ok: false, reasons };
  const request_id = raw.request_id ? collapseWhitespace(raw.request_id) || null : null;
  return { ok: true, value: { ts: ts.value, level, service, message, request_id, latency_ms } };
}

/**
 * A log line has no id of its own and request ids repeat across lines, so the key is a hash of
 * the clean line: reloading a file never duplicates a line, and two identical lines are one event.
 */
function eventId(row: CleanLog): string {
  return createHash('sha256')
    .update(JSON.stringify([row.ts, row.service, row.level, row.request_id, row.message]))
    .digest('hex')
    .slice(0, 32);
}

/** Application logs (JSONL): one row per line, with a severity number and the owning team. */
export const logs: Dataset<RawLog, CleanLog, LogRow> = {
  name: 'logs',
  formats: ['jsonl'],
  rawSchema: RawLogSchema,
  clean: cleanLog,
  dedupeKey: eventId,
  transform: (row) => {
    const { level, severity } = severities[row.level]!;
    return { ok: true, value: { event_id: eventId(row), ...row, level, severity, team: null } };
  },
  async enrich(rows, lookups) {
    const services = [...new Set(rows.map((row) => row.service))];
    const owners = await lookups.query<{ service: string; team: string }>(
      'SELECT service, team FROM service_owners WHERE service = ANY($1)',
      [services],
    );
    const teamOf = new Map(owners.map((o) => [o.service, o.team]));
    // A service nobody owns yet still has its logs kept; team stays null.
    return rows.map((row) => ({ ok: true, value: { ...row, team: teamOf.get(row.service) ?? null } }));
  },
  table: 'logs',
  columns: ['event_id', 'ts', 'level', 'severity', 'service', 'team', 'message', 'request_id', 'latency_ms'],
  naturalKey: ['event_id'],
};
