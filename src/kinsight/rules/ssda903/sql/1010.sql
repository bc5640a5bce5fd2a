WITH leavers AS (
    SELECT _row, CHILD FROM oc3 WHERE IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL),
-- Only care leavers' episodes are ranked: the final episode is per child.
last_open AS (
    SELECT CHILD FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, _row DESC) AS k FROM episodes_last
        WHERE CHILD IN (SELECT CHILD FROM leavers))
    WHERE k = 1 AND DEC IS NULL)
SELECT 'oc3' AS table_name, o._row, o.CHILD AS child
FROM oc3 o
WHERE (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL)
  AND o.CHILD IN (SELECT CHILD FROM last_open)
  AND o.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)
