-- An episode that began before this year for a child absent from last year's episodes (when last year is held).
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e, params p
WHERE e.DECOM < p.collection_start
  AND EXISTS (SELECT 1 FROM episodes_last)
  AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = e.CHILD)
