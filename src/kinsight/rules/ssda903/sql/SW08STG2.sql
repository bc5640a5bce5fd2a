-- Flags the earlier episode, left without an end date although a later one has started.
SELECT 'swepisodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lead(_row) OVER (PARTITION BY CHILD ORDER BY SW_DECOM, _row) AS next_row
      FROM swepisodes WHERE SW_DECOM IS NOT NULL)
WHERE next_row IS NOT NULL AND SW_DEC IS NULL
