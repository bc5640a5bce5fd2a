SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD
WHERE e.REC = 'E17' AND e.DEC IS NOT NULL AND h.DOB IS NOT NULL AND age_on(h.DOB, e.DEC) < 18
