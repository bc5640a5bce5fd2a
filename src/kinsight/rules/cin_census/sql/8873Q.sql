-- An episode whose only assessment found no factors (21) should be closed with RC8 or RC9.
WITH single AS (
    SELECT LAchildID, CINdetailsID, min(AssessmentID) AS AssessmentID
    FROM assessments
    GROUP BY LAchildID, CINdetailsID
    HAVING count(*) = 1
)
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
JOIN single s ON s.LAchildID = c.LAchildID AND s.CINdetailsID = c.CINdetailsID
WHERE c.ReasonForClosure IS DISTINCT FROM 'RC8' AND c.ReasonForClosure IS DISTINCT FROM 'RC9'
  AND EXISTS (
      SELECT 1 FROM assessmentfactors f
      WHERE f.LAchildID = s.LAchildID AND f.CINdetailsID = s.CINdetailsID AND f.AssessmentID = s.AssessmentID
        AND f.AssessmentFactors = '21'
  )
