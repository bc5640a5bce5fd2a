-- The child's final episode (this or last year) ended with care transferred to another authority (REC E3).
-- Only care leavers' episodes are ranked: the final episode is per child, so the others cannot matter.
WITH leavers AS (
    SELECT _row, CHILD FROM oc3 WHERE IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL),
eps AS (
    SELECT CHILD, DECOM, REC, 1 AS this_year, _row FROM episodes WHERE CHILD IN (SELECT CHILD FROM leavers)
    UNION ALL
    SELECT CHILD, DECOM, REC, 0, _row FROM episodes_last WHERE CHILD IN (SELECT CHILD FROM leavers)),
final AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, this_year DESC, _row DESC) AS k
                   FROM eps)
    WHERE k = 1)
SELECT 'oc3' AS table_name, o._row, o.CHILD AS child
FROM leavers o JOIN final f ON f.CHILD = o.CHILD
WHERE f.REC = 'E3'
