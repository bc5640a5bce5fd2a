-- Every child in oc3 must have a header record.
SELECT 'oc3' AS table_name, t._row, t.CHILD AS child
FROM oc3 t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
