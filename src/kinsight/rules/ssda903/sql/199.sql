WITH adopted AS (
    SELECT CHILD, min(DEC) AS adopted_on FROM (SELECT CHILD, DEC, REC FROM episodes UNION ALL SELECT CHILD, DEC, REC FROM episodes_last)
    WHERE REC IN ('E11', 'E12') GROUP BY CHILD)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN adopted a ON a.CHILD = e.CHILD WHERE e.DECOM >= a.adopted_on
