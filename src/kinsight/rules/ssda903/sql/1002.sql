-- Episodes of every earlier year held count, not only last year's: the DfE's own check sees the child's
-- whole history, and a validator that loads two years flags young people who left care before that.
SELECT 'oc3' AS table_name, o._row, o.CHILD AS child
FROM oc3 o
WHERE (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL)
  AND o.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)
  AND o.CHILD NOT IN (SELECT CHILD FROM episodes_earlier WHERE CHILD IS NOT NULL)
