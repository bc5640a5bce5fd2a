-- The same factor code recorded twice on one assessment: every copy is flagged.
SELECT 'assessmentfactors' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID,
        count(*) OVER (PARTITION BY LAchildID, CINdetailsID, AssessmentID, AssessmentFactors) AS copies
    FROM assessmentfactors WHERE AssessmentFactors IS NOT NULL
)
WHERE copies > 1
