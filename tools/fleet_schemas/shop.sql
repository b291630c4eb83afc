-- A storefront per merchant: catalogue, customers, orders, payments, stock.
CREATE SCHEMA shop;

CREATE TYPE shop.order_status AS ENUM ('cart', 'placed', 'paid', 'shipped', 'cancelled');

CREATE TABLE shop.customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name text,
    marketing_opt_in boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE shop.categories (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id integer REFERENCES shop.categories (id),
    slug text NOT NULL UNIQUE,
    title text NOT NULL
);

CREATE TABLE shop.products (
    id bigserial PRIMARY KEY,
    category_id integer REFERENCES shop.categories (id),
    sku varchar(40) NOT NULL UNIQUE,
    title text NOT NULL,
    description text,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    active boolean NOT NULL DEFAULT true,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX products_category_id_idx ON shop.products (category_id);
CREATE INDEX products_attributes_idx ON shop.products USING gin (attributes);

CREATE TABLE shop.stock (
    product_id bigint PRIMARY KEY REFERENCES shop.products (id) ON DELETE CASCADE,
    on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES shop.customers (id),
    status shop.order_status NOT NULL DEFAULT 'cart',
    total_cents integer NOT NULL DEFAULT 0,
    shipping_address jsonb,
    placed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON shop.orders (customer_id);
CREATE INDEX orders_placed_at_idx ON shop.orders (placed_at) WHERE placed_at IS NOT NULL;

CREATE TABLE shop.order_items (
    order_id bigint NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES shop.products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price_cents integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_items_product_id_idx ON shop.order_items (product_id);

CREATE TABLE shop.payments (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES shop.orders (id),
    provider text NOT NULL DEFAULT 'stripe',
    provider_ref text NOT NULL,
    amount_cents integer NOT NULL,
    captured boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payments_provider_ref_key UNIQUE (provider, provider_ref)
);

CREATE FUNCTION shop.order_total(p_order bigint) RETURNS integer
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(quantity * unit_price_cents), 0)::integer
          FROM shop.order_items WHERE order_id = p_order $$;

CREATE FUNCTION shop.reserve_stock() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE shop.stock SET reserved = reserved + NEW.quantity, updated_at = now()
     WHERE product_id = NEW.product_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER order_items_reserve AFTER INSERT ON shop.order_items
    FOR EACH ROW EXECUTE FUNCTION shop.reserve_stock();

CREATE VIEW shop.sellable AS
    SELECT p.id, p.sku, p.title, p.price_cents, s.on_hand - s.reserved AS available
    FROM shop.products p JOIN shop.stock s ON s.product_id = p.id
    WHERE p.active;

ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON shop.orders FOR SELECT TO authenticated
    USING (customer_id = current_setting('app.customer_id')::uuid);

GRANT USAGE ON SCHEMA shop TO app_user, app_readonly, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA shop TO app_user;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA shop TO app_user;
GRANT SELECT ON shop.sellable, shop.products, shop.categories TO anon, authenticated;
GRANT SELECT ON shop.orders TO authenticated;
