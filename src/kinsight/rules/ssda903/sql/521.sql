-- The best-interests decision (AD1 DATE_INT) comes on or before the child's first placement for adoption (A3-A6).
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a
JOIN (SELECT CHILD, min(DECOM) AS placed FROM episodes WHERE PLACE IN ('A3', 'A4', 'A5', 'A6') GROUP BY CHILD) p
  ON p.CHILD = a.CHILD
WHERE a.DATE_INT > p.placed
