-- The floor `servant list` is measured against: the sqlite3 command-line tool listing
-- everyone by their indexed name key, aligned in columns.
--     sqlite3 DB ".read benchmarks/floor_list.sql"
.mode column
.headers off
SELECT '#' || id, name, coalesce(company, ''), tags FROM person ORDER BY name_key, id;
