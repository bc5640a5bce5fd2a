SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD
WHERE e.REC IN ('E45', 'E46', 'E47', 'E48') AND e.DEC IS NOT NULL AND age_on(h.DOB, e.DEC) >= 18
