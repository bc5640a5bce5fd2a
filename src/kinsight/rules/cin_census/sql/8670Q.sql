-- An assessment still open at the census date (no AssessmentAuthorisationDate) that started more than 45
-- working days before it: the 46th working day back from 31 March is the latest start that is too old.
WITH -- working_days(): weekdays that are not England bank holidays (the engine's calendar).
working AS (SELECT day FROM working_days()),
threshold AS (
    SELECT day FROM working, params WHERE day <= params.collection_end ORDER BY day DESC LIMIT 1 OFFSET 45
)
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a, threshold
WHERE a.AssessmentAuthorisationDate IS NULL AND a.AssessmentActualStartDate < threshold.day
