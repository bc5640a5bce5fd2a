-- An adopted child's latest decision to place for adoption cannot have been reversed.
WITH latest AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC NULLS LAST, _row DESC) AS k
        FROM placedadoption)
    WHERE k = 1)
SELECT 'placedadoption' AS table_name, l._row, l.CHILD AS child
FROM latest l
WHERE l.DATE_PLACED_CEASED IS NOT NULL
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = l.CHILD AND e.REC IN ('E11', 'E12'))
