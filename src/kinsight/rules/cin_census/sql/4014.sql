-- A child's CIN plans cannot overlap: a plan's start cannot fall on or between another plan's start and
-- end (or the census end while that plan is open).  The later-starting plan is flagged.
SELECT 'cinplandates' AS table_name, a._row, a.LAchildID AS child
FROM cinplandates a
JOIN cinplandates b ON b.LAchildID = a.LAchildID AND b._row <> a._row
CROSS JOIN params
WHERE a.CINPlanStartDate >= b.CINPlanStartDate
  AND a.CINPlanStartDate <= coalesce(b.CINPlanEndDate, params.collection_end)
