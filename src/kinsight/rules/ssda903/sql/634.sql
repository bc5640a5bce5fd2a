-- Previous permanence is collected only for periods of care starting on or after 1 April 2016.
WITH first_seen AS (
    SELECT CHILD, min(DECOM) AS started FROM (
        SELECT CHILD, DECOM FROM episodes UNION ALL SELECT CHILD, DECOM FROM episodes_last)
    GROUP BY CHILD)
SELECT 'prevperm' AS table_name, r._row, r.CHILD AS child
FROM prevperm r JOIN first_seen f ON f.CHILD = r.CHILD
WHERE (r.PREV_PERM IS NOT NULL OR r.LA_PERM IS NOT NULL OR r.DATE_PERM IS NOT NULL)
  AND f.started < DATE '2016-04-01'
