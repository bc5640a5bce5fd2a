-- Authority-level query: children have disabilities recorded, yet none has more than one.
WITH per_child AS (
    SELECT LAchildID, count(DISTINCT Disability) AS n
    FROM disabilities
    WHERE Disability IS NOT NULL AND Disability <> 'NONE'
    GROUP BY LAchildID
)
SELECT 'header' AS table_name, h._row, NULL AS child
FROM header h
WHERE EXISTS (SELECT 1 FROM per_child) AND NOT EXISTS (SELECT 1 FROM per_child WHERE n > 1)
