SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(DEC) OVER w AS prev_dec, lag(_row) OVER w AS prev_row
      FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM, _row))
WHERE RNE = 'S' AND prev_row IS NOT NULL AND prev_dec = DECOM
