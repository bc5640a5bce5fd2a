-- The child's final episode (this or last year) ended with care transferred to another authority (REC E3).
WITH eps AS (
    SELECT CHILD, DECOM, REC, 1 AS this_year, _row FROM episodes
    UNION ALL SELECT CHILD, DECOM, REC, 0, _row FROM episodes_last),
final AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, this_year DESC, _row DESC) AS k
                   FROM eps)
    WHERE k = 1)
SELECT 'oc3' AS table_name, o._row, o.CHILD AS child
FROM oc3 o JOIN final f ON f.CHILD = o.CHILD
WHERE (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL) AND f.REC = 'E3'
