SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE prev__row IS NOT NULL AND DECOM < prev_DEC
