WITH days AS (
    SELECT e.CHILD, e._row,
           least(coalesce(e.DEC, p.collection_end), p.collection_end) - greatest(e.DECOM, p.collection_start) AS n
    FROM episodes e, params p WHERE e.LS = 'V3')
SELECT 'episodes' AS table_name, d._row, d.CHILD AS child
FROM days d WHERE d.CHILD IN (SELECT CHILD FROM days GROUP BY CHILD HAVING sum(greatest(n, 0)) > 75)
