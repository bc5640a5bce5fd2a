-- Nothing in a closed episode can be dated after its closure: conferences, assessments, section 47
-- enquiries, protection plan ends and CIN plan dates.  The late record and its episode are flagged.
WITH closed AS (
    SELECT _row, LAchildID, CINdetailsID, CINclosureDate, DateOfInitialCPC FROM cindetails WHERE CINclosureDate IS NOT NULL
),
late AS (
    SELECT 'assessments' AS table_name, a._row, c._row AS episode_row, c.LAchildID
    FROM assessments a JOIN closed c ON c.LAchildID = a.LAchildID AND c.CINdetailsID = a.CINdetailsID
    WHERE a.AssessmentActualStartDate > c.CINclosureDate OR a.AssessmentAuthorisationDate > c.CINclosureDate
    UNION ALL
    SELECT 'section47', s._row, c._row, c.LAchildID
    FROM section47 s JOIN closed c ON c.LAchildID = s.LAchildID AND c.CINdetailsID = s.CINdetailsID
    WHERE s.S47ActualStartDate > c.CINclosureDate OR s.DateOfInitialCPC > c.CINclosureDate
    UNION ALL
    SELECT 'childprotectionplans', p._row, c._row, c.LAchildID
    FROM childprotectionplans p JOIN closed c ON c.LAchildID = p.LAchildID AND c.CINdetailsID = p.CINdetailsID
    WHERE p.CPPendDate > c.CINclosureDate
    UNION ALL
    SELECT 'cinplandates', d._row, c._row, c.LAchildID
    FROM cinplandates d JOIN closed c ON c.LAchildID = d.LAchildID AND c.CINdetailsID = d.CINdetailsID
    WHERE d.CINPlanStartDate > c.CINclosureDate OR d.CINPlanEndDate > c.CINclosureDate
    UNION ALL
    SELECT 'cindetails', _row, _row, LAchildID FROM closed WHERE DateOfInitialCPC > CINclosureDate
)
SELECT table_name, _row, LAchildID AS child FROM late
UNION ALL
SELECT 'cindetails', episode_row, LAchildID FROM late
