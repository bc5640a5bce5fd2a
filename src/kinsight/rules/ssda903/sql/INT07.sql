-- Every child in prevperm must have a header record.
SELECT 'prevperm' AS table_name, t._row, t.CHILD AS child
FROM prevperm t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
