SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE REC = 'X1' AND next_DECOM = DEC AND next_RNE IN ('P', 'B', 'T', 'U') AND REASON_PLACE_CHANGE IS NULL
  AND coalesce(PLACE, '') NOT IN ('T0','T1','T2','T3','T4') AND coalesce(next_PLACE, '') NOT IN ('T0','T1','T2','T3','T4')
