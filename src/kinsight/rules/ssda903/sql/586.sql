SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m LEFT JOIN header h ON h.CHILD = m.CHILD
WHERE m.MIS_START < coalesce(h.DOB, m.DOB)
