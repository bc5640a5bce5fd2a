SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM, _row) AS n FROM episodes) e
WHERE n = 1 AND coalesce(RNE, '') <> 'S' AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = e.CHILD)
  AND EXISTS (SELECT 1 FROM episodes_last)  -- only judged when last year's return is held
