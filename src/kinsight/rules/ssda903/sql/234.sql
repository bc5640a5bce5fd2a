SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD
WHERE e.REASON_PLACE_CHANGE = 'CUSTOD' AND age_on(h.DOB, coalesce(e.DEC, e.DECOM)) < 10
