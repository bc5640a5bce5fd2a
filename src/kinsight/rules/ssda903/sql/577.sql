-- The child's final episode ended the period of care; no missing period can stay open.
WITH final AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, _row DESC) AS k FROM episodes)
    WHERE k = 1)
SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m JOIN final f ON f.CHILD = m.CHILD
WHERE m.MIS_END IS NULL AND f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1'
