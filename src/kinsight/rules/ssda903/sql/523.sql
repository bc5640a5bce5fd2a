-- The child's latest decision to place for adoption against the best-interests decision in AD1.
WITH latest AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC, _row DESC) AS k
        FROM placedadoption WHERE DATE_PLACED IS NOT NULL)
    WHERE k = 1)
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN latest l ON l.CHILD = a.CHILD
WHERE a.DATE_INT IS NOT NULL AND a.DATE_INT <> l.DATE_PLACED
UNION ALL
SELECT 'placedadoption', l._row, l.CHILD
FROM latest l JOIN ad1 a ON a.CHILD = l.CHILD
WHERE a.DATE_INT IS NOT NULL AND a.DATE_INT <> l.DATE_PLACED
