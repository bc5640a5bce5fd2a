-- An episode closed after assessment (RC8 or RC9) cannot also hold a section 47 enquiry, a child
-- protection plan, a CIN plan or an initial conference.  The episode and each such record are flagged.
WITH closed AS (
    SELECT _row, LAchildID, CINdetailsID, DateOfInitialCPC FROM cindetails WHERE ReasonForClosure IN ('RC8', 'RC9')
),
activity AS (
    SELECT 'section47' AS table_name, s._row, s.LAchildID, s.CINdetailsID FROM section47 s
    UNION ALL SELECT 'childprotectionplans', p._row, p.LAchildID, p.CINdetailsID FROM childprotectionplans p
    UNION ALL SELECT 'cinplandates', d._row, d.LAchildID, d.CINdetailsID FROM cinplandates d
),
hits AS (
    SELECT a.table_name, a._row, a.LAchildID, c._row AS episode_row
    FROM activity a JOIN closed c ON c.LAchildID = a.LAchildID AND c.CINdetailsID = a.CINdetailsID
)
SELECT table_name, _row, LAchildID AS child FROM hits
UNION ALL
SELECT 'cindetails', episode_row, LAchildID FROM hits
UNION ALL
SELECT 'cindetails', _row, LAchildID FROM closed WHERE DateOfInitialCPC IS NOT NULL
