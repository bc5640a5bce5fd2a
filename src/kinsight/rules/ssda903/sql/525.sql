-- The child's latest decision to place for adoption was reversed, yet adoption details are recorded.
WITH latest AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC NULLS LAST, _row DESC) AS k
        FROM placedadoption)
    WHERE k = 1)
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN latest l ON l.CHILD = a.CHILD
WHERE (l.DATE_PLACED_CEASED IS NOT NULL OR l.REASON_PLACED_CEASED IS NOT NULL)
  AND (a.DATE_INT IS NOT NULL OR a.DATE_MATCH IS NOT NULL OR a.FOSTER_CARE IS NOT NULL OR a.NB_ADOPTR IS NOT NULL
       OR a.SEX_ADOPTR IS NOT NULL OR a.LS_ADOPTR IS NOT NULL)
