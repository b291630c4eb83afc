CREATE TABLE t (id int PRIMARY KEY, name varchar(50), note text, amount numeric(10,2), qty int, at timestamptz, d date, tags text[], meta jsonb, flag boolean, code char(3), ip inet, b bytea, parent int);
CREATE TABLE t2 (id int, t_id int, v text, w int);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t3 (id int, m mood, r int4range, ts tsvector);
