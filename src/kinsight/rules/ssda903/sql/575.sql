-- The placement the child went missing from (the episode covering MIS_START) has ended.
SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m
WHERE m.MIS_START IS NOT NULL AND m.MIS_END IS NULL
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = m.CHILD AND e.DECOM <= m.MIS_START
              AND e.DEC IS NOT NULL AND e.DEC >= m.MIS_START)
  AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = m.CHILD AND e.DECOM <= m.MIS_START
                  AND e.DEC IS NULL)
