SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE PLACE IN ('T0','T1','T2','T3','T4') AND prev_PLACE IS NOT NULL AND next_PLACE IS NOT NULL AND prev_PLACE <> next_PLACE
