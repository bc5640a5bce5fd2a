SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a
WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = a.CHILD AND e.REC IN ('E11', 'E12'))
