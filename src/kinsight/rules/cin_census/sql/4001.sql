-- Within one episode, an open child protection plan (no CPPendDate) and an open CIN plan (no
-- CINPlanEndDate) cannot both be present: both records are flagged.
WITH hits AS (
    SELECT p._row AS cpp_row, d._row AS plan_row, p.LAchildID
    FROM childprotectionplans p
    JOIN cinplandates d ON d.LAchildID = p.LAchildID AND d.CINdetailsID = p.CINdetailsID
    WHERE p.CPPendDate IS NULL AND d.CINPlanEndDate IS NULL
)
SELECT 'childprotectionplans' AS table_name, cpp_row AS _row, LAchildID AS child FROM hits
UNION ALL
SELECT 'cinplandates', plan_row, LAchildID FROM hits
