-- Up Migration

-- Reference tables the enrich stage reads once per batch.
CREATE TABLE fx_rates (
  currency    char(3)        PRIMARY KEY,
  rate_to_usd numeric(18, 8) NOT NULL CHECK (rate_to_usd > 0),
  as_of       date           NOT NULL
);

CREATE TABLE service_owners (
  service text PRIMARY KEY,
  team    text NOT NULL
);

INSERT INTO fx_rates (currency, rate_to_usd, as_of) VALUES
  ('USD', 1, '2026-11-01'),
  ('EUR', 1.08, '2026-11-01'),
  ('GBP', 1.27, '2026-11-01'),
  ('JPY', 0.0067, '2026-11-01'),
  ('CAD', 0.73, '2026-11-01'),
  ('AUD', 0.66, '2026-11-01'),
  ('CHF', 1.13, '2026-11-01');

INSERT INTO service_owners (service, team) VALUES
  ('checkout', 'payments'),
  ('payments', 'payments'),
  ('catalog', 'storefront'),
  ('search', 'storefront'),
  ('auth', 'identity'),
  ('ingest', 'data-platform');

-- Down Migration

DROP TABLE service_owners;
DROP TABLE fx_rates;
