-- Within one episode, an assessment cannot start on or between the start and completion of another
-- (or by the census date while the other is not completed).  The later-starting assessment is flagged.
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a
JOIN assessments b ON b.LAchildID = a.LAchildID AND b.CINdetailsID = a.CINdetailsID AND b._row <> a._row
CROSS JOIN params
WHERE a.AssessmentActualStartDate >= b.AssessmentActualStartDate
  AND a.AssessmentActualStartDate <= coalesce(b.AssessmentAuthorisationDate, params.collection_end)
