import type { OrderRow } from '../../workflow/datasets/orders.ts';

const currencies = ['USD', 'EUR', 'GBP', 'JPY'] as const;

/** `count` distinct, already-enriched order rows, as the load stage receives them. */
export function orderRows(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => {
    const quantity = (i % 7) + 1;
    const unit_price = ((i * 37) % 10_000) / 100 + 1;
    const amount = Math.round(quantity * unit_price * 100) / 100;
    return {
      order_id: `O-${i}`,
      customer_id: `C-${String(i % 5000).padStart(4, '0')}`,
      order_date: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      sku: `SKU-${i % 50}`,
      quantity,
      unit_price,
      currency: currencies[i % currencies.length]!,
      amount,
      amount_usd: amount,
      customer_region: i % 3 ? 'Europe' : null,
    };
  });
}
