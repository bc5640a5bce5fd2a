SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m JOIN (SELECT CHILD, min(DECOM) AS first_decom FROM episodes GROUP BY CHILD) f ON f.CHILD = m.CHILD
WHERE m.MIS_START < f.first_decom
