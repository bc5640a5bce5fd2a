SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.REC IN ('E2', 'E15')
  AND EXISTS (SELECT 1 FROM episodes l WHERE l.CHILD = e.CHILD AND l.DECOM > e.DECOM)
