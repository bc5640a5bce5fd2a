-- A decision reversed last year is reported again this year as if still open.
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p
WHERE p.DATE_PLACED IS NOT NULL AND p.DATE_PLACED_CEASED IS NULL
  AND EXISTS (SELECT 1 FROM placedadoption_last l WHERE l.CHILD = p.CHILD AND l.DATE_PLACED = p.DATE_PLACED
              AND l.DATE_PLACED_CEASED IS NOT NULL)
