-- Care leavers in OC3 with no episode this year were not looked after during the year.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
WHERE h.MOTHER IS NOT NULL
  AND h.CHILD IN (SELECT CHILD FROM oc3 WHERE IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL)
  AND h.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)
