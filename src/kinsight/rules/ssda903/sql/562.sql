-- An episode that began before this year must be in last year's return for a child who was in it.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e, params
WHERE e.DECOM < params.collection_start
  AND e.CHILD IN (SELECT CHILD FROM episodes_last)
  AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = e.CHILD AND l.DECOM = e.DECOM)
