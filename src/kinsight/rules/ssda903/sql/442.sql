SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
WHERE h.UPN IS NULL AND h.CHILD IN (SELECT CHILD FROM episodes)
