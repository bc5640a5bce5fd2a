-- Own provision (PR1) is inside the returning authority (lookup_own_la.la_code).
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e CROSS JOIN (SELECT max(upper(trim(la_code))) AS own FROM lookup_own_la) o
WHERE e.PLACE_PROVIDER = 'PR1' AND e.PL_LA IS NOT NULL AND o.own IS NOT NULL AND upper(e.PL_LA) <> o.own
