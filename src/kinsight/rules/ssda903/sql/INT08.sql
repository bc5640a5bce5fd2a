-- Every child in reviews must have a header record.
SELECT 'reviews' AS table_name, t._row, t.CHILD AS child
FROM reviews t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
