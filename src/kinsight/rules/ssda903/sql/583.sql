-- Every decision but the child's latest must carry the date it was reversed.
SELECT 'placedadoption' AS table_name, _row, CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC, _row DESC) AS k
      FROM placedadoption WHERE DATE_PLACED IS NOT NULL)
WHERE k > 1 AND DATE_PLACED_CEASED IS NULL
