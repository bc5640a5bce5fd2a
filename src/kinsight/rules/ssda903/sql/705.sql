SELECT 'dolo' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(_row) OVER w AS prev_row, lag(DOLO_END) OVER w AS prev_end
      FROM dolo WHERE DOLO_START IS NOT NULL WINDOW w AS (PARTITION BY CHILD ORDER BY DOLO_START, _row))
WHERE prev_row IS NOT NULL AND (prev_end IS NULL OR DOLO_START < prev_end)
