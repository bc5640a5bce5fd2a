SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE prev_DEC IS NOT NULL AND prev_REC IS NOT NULL AND prev_REC <> 'X1' AND RNE IS DISTINCT FROM 'S'
