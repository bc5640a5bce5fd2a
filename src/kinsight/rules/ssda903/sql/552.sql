-- The child's earliest decision to place for adoption against the first placement for adoption (A3-A6).
SELECT 'placedadoption' AS table_name, d._row, d.CHILD AS child
FROM (SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED, _row) AS k
        FROM placedadoption WHERE DATE_PLACED IS NOT NULL) WHERE k = 1) d
JOIN (SELECT CHILD, min(DECOM) AS placed FROM episodes WHERE PLACE IN ('A3', 'A4', 'A5', 'A6') GROUP BY CHILD) p
  ON p.CHILD = d.CHILD
WHERE d.DATE_PLACED > p.placed
