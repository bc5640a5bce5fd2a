SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD
WHERE e.RNE = 'S' AND age_on(h.DOB, e.DECOM) >= 18
