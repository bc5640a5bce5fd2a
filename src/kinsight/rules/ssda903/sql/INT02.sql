-- Every child in placedadoption must have a header record.
SELECT 'placedadoption' AS table_name, t._row, t.CHILD AS child
FROM placedadoption t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
