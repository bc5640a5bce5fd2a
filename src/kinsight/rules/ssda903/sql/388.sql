SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.REC = 'X1' AND NOT EXISTS (SELECT 1 FROM episodes n WHERE n.CHILD = e.CHILD AND n.DECOM = e.DEC AND n._row <> e._row)
