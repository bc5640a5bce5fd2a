-- Last year's return said the young person had died; this year's OC3 row says otherwise (or nothing).
SELECT 'oc3' AS table_name, c._row, c.CHILD AS child
FROM oc3 c
WHERE c.IN_TOUCH IS DISTINCT FROM 'DIED'
  AND c.CHILD IN (SELECT CHILD FROM oc3_last WHERE IN_TOUCH = 'DIED' AND CHILD IS NOT NULL)
