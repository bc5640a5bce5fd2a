WITH final AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, _row DESC) AS k FROM episodes)
    WHERE k = 1)
SELECT 'dolo' AS table_name, d._row, d.CHILD AS child
FROM dolo d JOIN final f ON f.CHILD = d.CHILD
WHERE d.DOLO_END IS NULL AND f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1'
