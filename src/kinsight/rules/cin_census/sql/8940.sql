-- A child's protection plans cannot overlap: a plan's start cannot fall on or after another plan's start and
-- before its end (or by the census date while it is open).  Starting the day the other ended is allowed.
SELECT 'childprotectionplans' AS table_name, a._row, a.LAchildID AS child
FROM childprotectionplans a
JOIN childprotectionplans b ON b.LAchildID = a.LAchildID AND b._row <> a._row
CROSS JOIN params
WHERE a.CPPstartDate >= b.CPPstartDate
  AND CASE WHEN b.CPPendDate IS NOT NULL THEN a.CPPstartDate < b.CPPendDate
           ELSE a.CPPstartDate <= params.collection_end END
