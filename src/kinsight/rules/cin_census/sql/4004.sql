-- A child can have at most one open CIN plan (no CINPlanEndDate); every open plan of such a child is flagged.
SELECT 'cinplandates' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID) AS open_plans
    FROM cinplandates
    WHERE CINPlanEndDate IS NULL
)
WHERE open_plans > 1
