-- Every child in episodes must have a header record.
SELECT 'episodes' AS table_name, t._row, t.CHILD AS child
FROM episodes t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
