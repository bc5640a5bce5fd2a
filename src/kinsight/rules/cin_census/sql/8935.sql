-- A child can have at most one open child protection plan (no CPPendDate).
SELECT 'childprotectionplans' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID) AS open_plans
    FROM childprotectionplans
    WHERE CPPendDate IS NULL
)
WHERE open_plans > 1
