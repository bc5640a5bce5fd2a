-- A new episode should start within 7 days either side of the end of the previous one.
SELECT 'swepisodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(SW_DEC) OVER (PARTITION BY CHILD ORDER BY SW_DECOM, _row) AS prev_dec
      FROM swepisodes WHERE SW_DECOM IS NOT NULL)
WHERE prev_dec IS NOT NULL AND abs(date_diff('day', prev_dec, SW_DECOM)) > 7
