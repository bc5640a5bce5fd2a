SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE RNE IN ('P', 'B', 'T', 'U', 'L') AND prev__row IS NOT NULL AND prev_DEC IS DISTINCT FROM DECOM
