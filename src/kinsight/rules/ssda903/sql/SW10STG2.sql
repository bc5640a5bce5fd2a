SELECT 'swepisodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(SW_DEC) OVER (PARTITION BY CHILD ORDER BY SW_DECOM, _row) AS prev_dec
      FROM swepisodes WHERE SW_DECOM IS NOT NULL)
WHERE SW_DECOM < prev_dec
