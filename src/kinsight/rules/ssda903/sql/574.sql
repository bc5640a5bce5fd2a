SELECT 'missing' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(_row) OVER w AS prev_row, lag(MIS_END) OVER w AS prev_end
      FROM missing WHERE MIS_START IS NOT NULL WINDOW w AS (PARTITION BY CHILD ORDER BY MIS_START, _row))
WHERE prev_row IS NOT NULL AND (prev_end IS NULL OR MIS_START < prev_end)
