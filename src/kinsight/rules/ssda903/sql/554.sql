-- The child's earliest decision to place for adoption against the first placement-order episode (LS E1) this year.
SELECT 'placedadoption' AS table_name, d._row, d.CHILD AS child
FROM (SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED, _row) AS k
        FROM placedadoption WHERE DATE_PLACED IS NOT NULL) WHERE k = 1) d
JOIN (SELECT CHILD, min(DECOM) AS granted FROM episodes WHERE LS = 'E1' GROUP BY CHILD) o ON o.CHILD = d.CHILD
WHERE d.DATE_PLACED > o.granted
