-- An episode closed after assessment (RC8 or RC9) that has no assessment.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
WHERE c.ReasonForClosure IN ('RC8', 'RC9')
  AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.LAchildID = c.LAchildID AND a.CINdetailsID = c.CINdetailsID)
