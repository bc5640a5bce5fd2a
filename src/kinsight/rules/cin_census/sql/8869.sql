-- Factor 21 (no factors identified) cannot be recorded with any other factor on the same assessment.
SELECT 'assessmentfactors' AS table_name, f._row, f.LAchildID AS child
FROM assessmentfactors f
WHERE f.AssessmentFactors = '21'
  AND EXISTS (
      SELECT 1 FROM assessmentfactors o
      WHERE o.LAchildID = f.LAchildID AND o.CINdetailsID = f.CINdetailsID AND o.AssessmentID = f.AssessmentID
        AND o.AssessmentFactors <> '21'
  )
