-- A CIN plan cannot start while one of the child's protection plans is running: on or after its start and
-- before its end (or on or before the census end while it is open).  Starting on the day it ends is fine.
SELECT 'cinplandates' AS table_name, d._row, d.LAchildID AS child
FROM cinplandates d
JOIN childprotectionplans p ON p.LAchildID = d.LAchildID
CROSS JOIN params
WHERE d.CINPlanStartDate >= p.CPPstartDate
  AND CASE WHEN p.CPPendDate IS NOT NULL THEN d.CINPlanStartDate < p.CPPendDate
           ELSE d.CINPlanStartDate <= params.collection_end END
