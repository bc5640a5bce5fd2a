-- Authority-level query: more than 2% of born children have no sex recorded (missing or U).
WITH counts AS (
    SELECT count(*) AS children,
        count(*) FILTER (WHERE (Sex IS NULL OR Sex = 'U') AND ExpectedPersonBirthDate IS NULL) AS unrecorded
    FROM childidentifiers
)
SELECT 'header' AS table_name, h._row, NULL AS child
FROM header h, counts
WHERE counts.children > 0 AND counts.unrecorded > 0.02 * counts.children
