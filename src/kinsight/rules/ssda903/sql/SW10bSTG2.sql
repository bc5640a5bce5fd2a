-- First contact (FCONTA) cannot start a social worker episode while the previous one is still open.
SELECT 'swepisodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(_row) OVER w AS prev_row, lag(SW_DEC) OVER w AS prev_dec
      FROM swepisodes WHERE SW_DECOM IS NOT NULL WINDOW w AS (PARTITION BY CHILD ORDER BY SW_DECOM, _row))
WHERE SW_REASON = 'FCONTA' AND prev_row IS NOT NULL AND (prev_dec IS NULL OR SW_DECOM < prev_dec)
