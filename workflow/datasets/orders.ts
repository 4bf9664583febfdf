import { z } from 'zod';
import { collapseWhitespace, isBlank, parseBoundedNumber, parseDate, type Parsed } from '../normalise.ts';
import type { Dataset, RowResult } from './dataset.ts';

/** One CSV line of an orders file; every value arrives as a string. */
const RawOrderSchema = z.object({
  order_id: z.string(),
  customer_id: z.string(),
  order_date: z.string(),
  sku: z.string(),
  quantity: z.string(),
  unit_price: z.string(),
  currency: z.string(),
});
type RawOrder = z.infer<typeof RawOrderSchema>;

interface CleanOrder {
  order_id: string;
  customer_id: string;
  order_date: string;
  sku: string;
  quantity: number;
  unit_price: number;
  currency: string;
}

export interface OrderRow extends Record<string, unknown> {
  order_id: string;
  customer_id: string;
  order_date: string;
  sku: string;
  quantity: number;
  unit_price: number;
  currency: string;
  amount: number;
  amount_usd: number | null;
  customer_region: string | null;
}

const required = ['order_id', 'customer_id', 'sku'] as const;

function cleanOrder(raw: RawOrder): RowResult<CleanOrder> | null {
  if (Object.values(raw).every(isBlank)) return null;
  const reasons: string[] = [];
  const text = Object.fromEntries(required.map((field) => [field, collapseWhitespace(raw[field])]));
  for (const field of required) if (!text[field]) reasons.push(`${field}: is empty`);
  const collect = <T>(parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    reasons.push(parsed.reason);
    return undefined;
  };
  const order_date = collect(parseDate(raw.order_date, 'order_date'));
  const quantity = collect(
    parseBoundedNumber(raw.quantity, 'quantity', { min: 1, max: 1_000_000, integer: true }),
  );
  const unit_price = collect(parseBoundedNumber(raw.unit_price, 'unit_price', { min: 0, max: 10_000_000 }));
  const currency = collapseWhitespace(raw.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) reasons.push(`currency: '${raw.currency}' is not a 3-letter ISO code`);
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    value: {
      order_id: text.order_id!,
      customer_id: text.customer_id!,
      // SKUs are codes: case-insensitive in practice, stored upper-case.
      sku: text.sku!.toUpperCase(),
      order_date: order_date!,
      quantity: quantity!,
      unit_price: unit_price!,
      currency,
    },
  };
}

/** Rounds money to cents without binary-float surprises such as 0.1 * 3. */
const cents = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

/** Orders (CSV): one row per order line, keyed by (order_id, sku), valued in USD at load time. */
export const orders: Dataset<RawOrder, CleanOrder, OrderRow> = {
  name: 'orders',
  formats: ['csv'],
  rawSchema: RawOrderSchema,
  clean: cleanOrder,
  dedupeKey: (row) => `${row.order_id}\u0000${row.sku}`,
  transform: (row) => ({
    ok: true,
    value: { ...row, amount: cents(row.quantity * row.unit_price), amount_usd: null, customer_region: null },
  }),
  async enrich(rows, lookups) {
    const customerIds = [...new Set(rows.map((row) => row.customer_id))];
    const currencies = [...new Set(rows.map((row) => row.currency))];
    const [customers, rates] = await Promise.all([
      lookups.query<{ customer_id: string; region: string | null }>(
        'SELECT customer_id, region FROM customers WHERE customer_id = ANY($1)',
        [customerIds],
      ),
      lookups.query<{ currency: string; rate_to_usd: string | number }>(
        'SELECT currency, rate_to_usd FROM fx_rates WHERE currency = ANY($1)',
        [currencies],
      ),
    ]);
    const regionOf = new Map(customers.map((c) => [c.customer_id, c.region]));
    const rateOf = new Map(rates.map((r) => [r.currency, Number(r.rate_to_usd)]));
    return rows.map((row): RowResult<OrderRow> => {
      const rate = rateOf.get(row.currency);
      if (rate === undefined) return { ok: false, reasons: [`currency: no fx rate for ${row.currency}`] };
      // An order for a customer not loaded yet still loads: its region stays null until known.
      const customer_region = regionOf.get(row.customer_id) ?? null;
      return { ok: true, value: { ...row, amount_usd: cents(row.amount * rate), customer_region } };
    });
  },
  table: 'orders',
  columns: [
    'order_id',
    'customer_id',
    'order_date',
    'sku',
    'quantity',
    'unit_price',
    'currency',
    'amount',
    'amount_usd',
    'customer_region',
  ],
  naturalKey: ['order_id', 'sku'],
};
