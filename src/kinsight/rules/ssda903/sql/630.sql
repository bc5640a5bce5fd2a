-- A child who started to be looked after this year needs a previous-permanence record.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e, params p
WHERE e.RNE = 'S' AND e.DECOM >= p.collection_start
  AND NOT EXISTS (SELECT 1 FROM prevperm r WHERE r.CHILD = e.CHILD AND r.PREV_PERM IS NOT NULL)
