SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.LS = 'E1'
  AND NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD AND p.DATE_PLACED IS NOT NULL)
