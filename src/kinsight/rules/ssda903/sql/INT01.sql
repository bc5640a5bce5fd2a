-- Every child in ad1 must have a header record.
SELECT 'ad1' AS table_name, t._row, t.CHILD AS child
FROM ad1 t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
