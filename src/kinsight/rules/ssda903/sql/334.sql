-- The latest period of care starts with the child's latest episode whose RNE is S.
WITH period_start AS (
  SELECT CHILD, max(DECOM) AS start_date FROM episodes WHERE RNE = 'S' GROUP BY CHILD
)
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN period_start s ON s.CHILD = a.CHILD
WHERE a.DATE_INT < s.start_date
