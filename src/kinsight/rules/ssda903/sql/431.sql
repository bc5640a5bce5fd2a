SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE RNE = 'S' AND prev__row IS NOT NULL AND prev_DEC = DECOM
