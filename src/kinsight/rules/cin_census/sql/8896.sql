-- Within one episode, at most one assessment may be open (no AssessmentAuthorisationDate).
SELECT 'assessments' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID, CINdetailsID) AS open_assessments
    FROM assessments
    WHERE AssessmentAuthorisationDate IS NULL
)
WHERE open_assessments > 1
