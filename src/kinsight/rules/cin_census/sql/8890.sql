-- Within one episode, a section 47 enquiry cannot start on or between another enquiry's start and its
-- conference date, or by the census date while the other has neither a conference nor ICPCnotRequired.
SELECT 'section47' AS table_name, a._row, a.LAchildID AS child
FROM section47 a
JOIN section47 b ON b.LAchildID = a.LAchildID AND b.CINdetailsID = a.CINdetailsID AND b._row <> a._row
CROSS JOIN params
WHERE a.S47ActualStartDate >= b.S47ActualStartDate
  AND CASE WHEN b.DateOfInitialCPC IS NOT NULL THEN a.S47ActualStartDate <= b.DateOfInitialCPC
           ELSE b.ICPCnotRequired IS NOT TRUE AND a.S47ActualStartDate <= params.collection_end END
