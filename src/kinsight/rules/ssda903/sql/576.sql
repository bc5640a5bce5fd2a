-- Last year's open missing period must be reported again this year (flagged on the child's header row).
SELECT DISTINCT 'header' AS table_name, h._row, h.CHILD AS child
FROM missing_last l JOIN header h ON h.CHILD = l.CHILD
WHERE l.MIS_START IS NOT NULL AND l.MIS_END IS NULL
  AND NOT EXISTS (SELECT 1 FROM missing m WHERE m.CHILD = l.CHILD AND m.MIS_START = l.MIS_START)
