-- An episode that is followed by a later one for the same child must have ended (DEC filled in).
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE next_DECOM IS NOT NULL AND DEC IS NULL
