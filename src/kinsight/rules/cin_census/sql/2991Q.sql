-- A section 47 enquiry is recorded on an episode that has no assessment.  The episode is flagged.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
WHERE EXISTS (SELECT 1 FROM section47 s WHERE s.LAchildID = c.LAchildID AND s.CINdetailsID = c.CINdetailsID)
  AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.LAchildID = c.LAchildID AND a.CINdetailsID = c.CINdetailsID)
