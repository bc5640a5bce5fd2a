-- A completed assessment (AssessmentAuthorisationDate present) with no factor recorded (21 if none).
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a
WHERE a.AssessmentAuthorisationDate IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM assessmentfactors f
      WHERE f.LAchildID = a.LAchildID AND f.CINdetailsID = a.CINdetailsID AND f.AssessmentID = a.AssessmentID
        AND f.AssessmentFactors IS NOT NULL
  )
