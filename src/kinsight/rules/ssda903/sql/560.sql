-- Last year's latest decision was still open; this year it is not reported and a different date is, with no
-- reversal recorded on that row.
WITH last_open AS (
    SELECT CHILD, DATE_PLACED FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC NULLS LAST, _row DESC) AS k
        FROM placedadoption_last)
    WHERE k = 1 AND DATE_PLACED IS NOT NULL AND DATE_PLACED_CEASED IS NULL)
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p JOIN last_open l ON l.CHILD = p.CHILD
WHERE p.DATE_PLACED IS NOT NULL AND p.DATE_PLACED <> l.DATE_PLACED AND p.DATE_PLACED_CEASED IS NULL
  AND NOT EXISTS (SELECT 1 FROM placedadoption q WHERE q.CHILD = p.CHILD AND q.DATE_PLACED = l.DATE_PLACED)
