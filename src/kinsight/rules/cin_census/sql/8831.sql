-- A referral with no further action (ReferralNFA true) cannot have assessments, section 47 enquiries or
-- initial conferences.  The episode and each such record are flagged.
WITH nfa AS (SELECT _row, LAchildID, CINdetailsID, DateOfInitialCPC FROM cindetails WHERE ReferralNFA),
hits AS (
    SELECT 'assessments' AS table_name, a._row, n._row AS episode_row, n.LAchildID
    FROM assessments a JOIN nfa n ON n.LAchildID = a.LAchildID AND n.CINdetailsID = a.CINdetailsID
    WHERE a.AssessmentActualStartDate IS NOT NULL OR a.AssessmentAuthorisationDate IS NOT NULL
    UNION ALL
    SELECT 'section47', s._row, n._row, n.LAchildID
    FROM section47 s JOIN nfa n ON n.LAchildID = s.LAchildID AND n.CINdetailsID = s.CINdetailsID
    WHERE s.S47ActualStartDate IS NOT NULL OR s.DateOfInitialCPC IS NOT NULL
    UNION ALL
    SELECT 'cindetails', _row, _row, LAchildID FROM nfa WHERE DateOfInitialCPC IS NOT NULL
)
SELECT table_name, _row, LAchildID AS child FROM hits
UNION ALL
SELECT 'cindetails', episode_row, LAchildID FROM hits
