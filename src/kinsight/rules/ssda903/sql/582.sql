SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN ad1 a ON a.CHILD = e.CHILD
WHERE e.REC IN ('E11', 'E12') AND e.DEC IS NOT NULL AND e.DEC = a.DATE_MATCH
