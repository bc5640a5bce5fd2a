-- An assessment cannot start before the referral of the episode it belongs to.
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a
JOIN cindetails c ON c.LAchildID = a.LAchildID AND c.CINdetailsID = a.CINdetailsID
WHERE a.AssessmentActualStartDate < c.CINreferralDate
