SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD
WHERE e.DECOM < h.DOB
