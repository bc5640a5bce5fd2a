-- Factors identified at assessment belong to completed assessments only: an assessment with factors but
-- no AssessmentAuthorisationDate is flagged.
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a
WHERE a.AssessmentAuthorisationDate IS NULL
  AND EXISTS (
      SELECT 1 FROM assessmentfactors f
      WHERE f.LAchildID = a.LAchildID AND f.CINdetailsID = a.CINdetailsID AND f.AssessmentID = a.AssessmentID
        AND f.AssessmentFactors IS NOT NULL
  )
