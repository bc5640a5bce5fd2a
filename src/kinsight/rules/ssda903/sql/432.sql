SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(REC) OVER w AS prev_rec, lag(DEC) OVER w AS prev_dec
      FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM, _row))
WHERE prev_dec IS NOT NULL AND prev_rec IS NOT NULL AND prev_rec <> 'X1' AND RNE IS DISTINCT FROM 'S'
