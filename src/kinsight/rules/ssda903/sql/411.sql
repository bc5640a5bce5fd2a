-- IN means placed inside the returning authority (lookup_own_la.la_code), OUT outside it.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e CROSS JOIN (SELECT max(upper(trim(la_code))) AS own FROM lookup_own_la) o
WHERE e.PL_LA IS NOT NULL AND e.PL_LOCATION IS NOT NULL AND o.own IS NOT NULL
  AND ((upper(e.PL_LA) = o.own AND e.PL_LOCATION = 'OUT') OR (upper(e.PL_LA) <> o.own AND e.PL_LOCATION = 'IN'))
