-- Objects the lab pipelines read and write. Loaded once into the template
-- cluster; every scenario starts from a copy of it.
CREATE ROLE etl LOGIN PASSWORD 'etl-secret';
CREATE DATABASE warehouse OWNER etl;
\connect warehouse etl
CREATE SCHEMA staging;
CREATE TABLE staging.orders (
    order_id    integer PRIMARY KEY,
    customer_id integer NOT NULL,
    amount      numeric(12,2) NOT NULL,
    region      text,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE public.orders_daily (
    day        date PRIMARY KEY,
    n_orders   integer NOT NULL,
    revenue    numeric(14,2) NOT NULL
);
CREATE TABLE public.etl_jobs (
    job_name   text PRIMARY KEY,
    last_run   timestamptz,
    status     text
);
INSERT INTO public.etl_jobs VALUES ('orders_daily', NULL, 'idle'), ('customers', NULL, 'idle');
INSERT INTO staging.orders (order_id, customer_id, amount, region)
SELECT g, 1000 + g % 97, (g * 7 % 500) + 0.99, (ARRAY['emea','amer','apac'])[1 + g % 3]
FROM generate_series(1, 5000) g;
