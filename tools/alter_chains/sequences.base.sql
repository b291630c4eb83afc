CREATE TABLE public.o (id serial PRIMARY KEY, num bigint GENERATED ALWAYS AS IDENTITY (START 100), qty int DEFAULT 1, price numeric(10,2) DEFAULT 0, total numeric GENERATED ALWAYS AS (qty * price) STORED, code text DEFAULT 'c' || nextval('o_id_seq')::text);
CREATE SEQUENCE public.shared START 10;
CREATE TABLE public.p (id int DEFAULT nextval('public.shared') PRIMARY KEY, o_id int REFERENCES public.o(id), label text);
CREATE VIEW public.ov AS SELECT id, total FROM public.o;
GRANT SELECT, UPDATE (qty) ON public.o TO app_user;
GRANT USAGE ON SEQUENCE public.shared TO app_user;
COMMENT ON COLUMN public.o.total IS 'computed';
