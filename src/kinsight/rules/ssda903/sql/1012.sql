-- Care leavers with no episode this year appear only in the header and OC3.
WITH leavers AS (
    SELECT DISTINCT CHILD FROM oc3
    WHERE CHILD IS NOT NULL AND CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL))
SELECT 'reviews' AS table_name, _row, CHILD AS child FROM reviews WHERE CHILD IN (SELECT CHILD FROM leavers)
UNION ALL SELECT 'ad1', _row, CHILD FROM ad1 WHERE CHILD IN (SELECT CHILD FROM leavers)
UNION ALL SELECT 'placedadoption', _row, CHILD FROM placedadoption WHERE CHILD IN (SELECT CHILD FROM leavers)
UNION ALL SELECT 'prevperm', _row, CHILD FROM prevperm WHERE CHILD IN (SELECT CHILD FROM leavers)
UNION ALL SELECT 'missing', _row, CHILD FROM missing WHERE CHILD IN (SELECT CHILD FROM leavers)
UNION ALL SELECT 'oc2', _row, CHILD FROM oc2 WHERE CHILD IN (SELECT CHILD FROM leavers)
