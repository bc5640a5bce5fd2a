SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(PLACE) OVER w AS prev_place, lead(PLACE) OVER w AS next_place
      FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM, _row))
WHERE PLACE IN ('T0','T1','T2','T3','T4') AND prev_place IS NOT NULL AND next_place IS NOT NULL AND prev_place <> next_place
