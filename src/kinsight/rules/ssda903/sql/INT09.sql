-- Every child in uasc must have a header record.
SELECT 'uasc' AS table_name, t._row, t.CHILD AS child
FROM uasc t
WHERE t.CHILD IS NOT NULL AND NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD)
