-- Last year's open DoLO must be reported again this year (flagged on the child's header row).
SELECT DISTINCT 'header' AS table_name, h._row, h.CHILD AS child
FROM dolo_last l JOIN header h ON h.CHILD = l.CHILD
WHERE l.DOLO_START IS NOT NULL AND l.DOLO_END IS NULL
  AND NOT EXISTS (SELECT 1 FROM dolo d WHERE d.CHILD = l.CHILD AND d.DOLO_START = l.DOLO_START)
