SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.PLACE IN ('A3', 'A4', 'A5', 'A6')
  AND NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD AND p.DATE_PLACED IS NOT NULL)
