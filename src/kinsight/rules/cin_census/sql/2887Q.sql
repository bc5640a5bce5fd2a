-- Authority-level query: fewer than 8 different disability codes (NONE aside) used across the return.
WITH used AS (SELECT count(DISTINCT Disability) AS n FROM disabilities WHERE Disability IS NOT NULL AND Disability <> 'NONE')
SELECT 'header' AS table_name, h._row, NULL AS child
FROM header h, used
WHERE used.n < 8
