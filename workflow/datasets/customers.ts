import { z } from 'zod';
import { collapseWhitespace, isBlank, parseDate } from '../normalise.ts';
import type { Dataset, RowResult } from './dataset.ts';

// A numeric id is taken as its digits; beyond 2^53 a JSON number has already lost some of them
// (JSON.parse rounds 12345678901234567890 to 12345678901234567000), so it is refused, not altered.
const wholeDigits = z.number().refine((n) => !Number.isInteger(n) || Number.isSafeInteger(n), {
  message: 'a number beyond 2^53 loses digits: write the id as a string',
});
const text = z.union([z.string(), wholeDigits]).transform(String);
const optionalText = z.union([z.string(), z.null()]).optional();

/** One element of a customers JSON array. Extra fields are allowed and ignored. */
const RawCustomerSchema = z.looseObject({
  customer_id: text,
  name: z.string(),
  email: optionalText,
  country: optionalText,
  region: optionalText,
  signed_up_on: optionalText,
});
type RawCustomer = z.infer<typeof RawCustomerSchema>;

export interface CustomerRow extends Record<string, unknown> {
  customer_id: string;
  name: string;
  email: string | null;
  country: string | null;
  region: string | null;
  signed_up_on: string | null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const regions = new Map(
  ['North America', 'South America', 'Europe', 'Asia Pacific', 'Middle East', 'Africa'].map((r) => [
    r.toLowerCase(),
    r,
  ]),
);

function cleanCustomer(raw: RawCustomer): RowResult<CustomerRow> | null {
  if ([raw.customer_id, raw.name, raw.email, raw.country, raw.region].every(isBlank)) return null;
  const reasons: string[] = [];
  const customer_id = collapseWhitespace(raw.customer_id);
  const name = collapseWhitespace(raw.name);
  if (!customer_id) reasons.push('customer_id: is empty');
  if (!name) reasons.push('name: is empty');
  const email = raw.email ? collapseWhitespace(raw.email).toLowerCase() : null;
  if (email && !emailPattern.test(email)) reasons.push(`email: '${raw.email}' is not an email address`);
  const country = raw.country ? collapseWhitespace(raw.country).toUpperCase() : null;
  if (country && !/^[A-Z]{2}$/.test(country))
    reasons.push(`country: '${raw.country}' is not an ISO 3166 code`);
  const regionText = raw.region ? collapseWhitespace(raw.region) : null;
  const region = regionText ? regions.get(regionText.toLowerCase()) : null;
  if (regionText && !region) reasons.push(`region: '${raw.region}' is not a known region`);
  let signed_up_on: string | null = null;
  if (!isBlank(raw.signed_up_on)) {
    const parsed = parseDate(raw.signed_up_on, 'signed_up_on');
    if (parsed.ok) signed_up_on = parsed.value;
    else reasons.push(parsed.reason);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, value: { customer_id, name, email, country, region: region ?? null, signed_up_on } };
}

/** Customers (JSON array): one row per customer, keyed by customer_id; orders look regions up here. */
export const customers: Dataset<RawCustomer, CustomerRow, CustomerRow> = {
  name: 'customers',
  formats: ['json'],
  rawSchema: RawCustomerSchema,
  clean: cleanCustomer,
  dedupeKey: (row) => row.customer_id,
  transform: (row) => ({ ok: true, value: row }),
  enrich: async (rows) => rows.map((value) => ({ ok: true, value })),
  table: 'customers',
  columns: ['customer_id', 'name', 'email', 'country', 'region', 'signed_up_on'],
  naturalKey: ['customer_id'],
};
