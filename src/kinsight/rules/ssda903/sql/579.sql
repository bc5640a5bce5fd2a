-- Decisions to place for adoption, in date order: each must start on or after the previous one was reversed.
SELECT 'placedadoption' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(_row) OVER w AS prev_row, lag(DATE_PLACED_CEASED) OVER w AS prev_ceased
      FROM placedadoption WHERE DATE_PLACED IS NOT NULL
      WINDOW w AS (PARTITION BY CHILD ORDER BY DATE_PLACED, _row))
WHERE prev_row IS NOT NULL AND (prev_ceased IS NULL OR DATE_PLACED < prev_ceased)
