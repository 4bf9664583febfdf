-- Up Migration

CREATE TABLE orders (
  order_id        text        NOT NULL,
  sku             text        NOT NULL,
  customer_id     text        NOT NULL,
  order_date      date        NOT NULL,
  quantity        integer     NOT NULL CHECK (quantity > 0),
  unit_price      numeric(14, 4) NOT NULL CHECK (unit_price >= 0),
  currency        char(3)     NOT NULL,
  amount          numeric(18, 2) NOT NULL,
  amount_usd      numeric(18, 2),
  customer_region text,
  source_file     text        NOT NULL,
  loaded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, sku)
);
CREATE INDEX orders_source_file ON orders (source_file);

CREATE TABLE customers (
  customer_id  text        PRIMARY KEY,
  name         text        NOT NULL,
  email        text,
  country      char(2),
  region       text,
  signed_up_on date,
  source_file  text        NOT NULL,
  loaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_source_file ON customers (source_file);

CREATE TABLE logs (
  event_id    text        PRIMARY KEY,
  ts          timestamptz NOT NULL,
  level       text        NOT NULL,
  severity    smallint    NOT NULL,
  service     text        NOT NULL,
  team        text,
  message     text        NOT NULL,
  request_id  text,
  latency_ms  numeric(12, 3),
  source_file text        NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX logs_source_file ON logs (source_file);

-- A row a stage refused, kept with its raw record so nothing is lost. One row per item of a file:
-- a retried or redriven batch overwrites, never duplicates.
CREATE TABLE rejects (
  source_file text        NOT NULL,
  item_index  integer     NOT NULL,
  dataset     text        NOT NULL,
  stage       text        NOT NULL,
  reasons     text[]      NOT NULL,
  raw         jsonb,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_file, item_index)
);

-- Down Migration

DROP TABLE rejects;
DROP TABLE logs;
DROP TABLE customers;
DROP TABLE orders;
