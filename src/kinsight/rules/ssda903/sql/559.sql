-- A decision dated before this year must appear in last year's return (when last year's return is held).
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p, params
WHERE p.DATE_PLACED < params.collection_start
  AND EXISTS (SELECT 1 FROM header_last)
  AND NOT EXISTS (SELECT 1 FROM placedadoption_last l WHERE l.CHILD = p.CHILD AND l.DATE_PLACED = p.DATE_PLACED)
