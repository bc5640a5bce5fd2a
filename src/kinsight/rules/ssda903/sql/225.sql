SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lead(RNE) OVER w AS next_rne, lead(PLACE) OVER w AS next_place, lead(DECOM) OVER w AS next_decom
      FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM, _row))
WHERE REC = 'X1' AND next_decom = DEC AND next_rne IN ('P', 'B', 'T', 'U') AND REASON_PLACE_CHANGE IS NULL
  AND coalesce(PLACE, '') NOT IN ('T0','T1','T2','T3','T4') AND coalesce(next_place, '') NOT IN ('T0','T1','T2','T3','T4')
