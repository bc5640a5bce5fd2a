-- Every child in missing must have a header record.
SELECT 'missing' AS table_name, t._row, t.CHILD AS child
FROM missing t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
