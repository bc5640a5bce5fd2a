-- An episode that is followed by a later one for the same child must have ended (DEC filled in).
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lead(DECOM) OVER (PARTITION BY CHILD ORDER BY DECOM, _row) AS next_decom FROM episodes)
WHERE next_decom IS NOT NULL AND DEC IS NULL
