-- Within one episode, a child protection plan review cannot fall on or between a CIN plan's start and end
-- (or the census end while the CIN plan is open), unless the review is the day the protection plan ended.
SELECT 'reviews' AS table_name, r._row, r.LAchildID AS child
FROM reviews r
JOIN cinplandates d ON d.LAchildID = r.LAchildID AND d.CINdetailsID = r.CINdetailsID
LEFT JOIN childprotectionplans p ON p.LAchildID = r.LAchildID AND p.CPPID = r.CPPID
CROSS JOIN params
WHERE r.CPPreviewDate >= d.CINPlanStartDate
  AND r.CPPreviewDate <= coalesce(d.CINPlanEndDate, params.collection_end)
  AND r.CPPreviewDate IS DISTINCT FROM p.CPPendDate
