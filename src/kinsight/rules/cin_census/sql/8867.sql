-- A closed episode cannot hold an assessment that was never completed (no AssessmentAuthorisationDate).
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a
JOIN cindetails c ON c.LAchildID = a.LAchildID AND c.CINdetailsID = a.CINdetailsID
WHERE c.CINclosureDate IS NOT NULL AND a.AssessmentAuthorisationDate IS NULL
