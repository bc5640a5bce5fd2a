-- A child protection plan cannot start while one of the child's CIN plans is running: on or after its start
-- and before its end (or on or before the census end while it is open).  Starting the day it ends is fine.
SELECT 'childprotectionplans' AS table_name, p._row, p.LAchildID AS child
FROM childprotectionplans p
JOIN cinplandates d ON d.LAchildID = p.LAchildID
CROSS JOIN params
WHERE p.CPPstartDate >= d.CINPlanStartDate
  AND CASE WHEN d.CINPlanEndDate IS NOT NULL THEN p.CPPstartDate < d.CINPlanEndDate
           ELSE p.CPPstartDate <= params.collection_end END
