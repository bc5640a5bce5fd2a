-- An initial child protection conference, whether recorded on the episode or on a section 47 enquiry,
-- cannot be held before the episode's referral.
SELECT 'cindetails' AS table_name, _row, LAchildID AS child
FROM cindetails
WHERE DateOfInitialCPC < CINreferralDate
UNION ALL
SELECT 'section47', s._row, s.LAchildID
FROM section47 s
JOIN cindetails c ON c.LAchildID = s.LAchildID AND c.CINdetailsID = s.CINdetailsID
WHERE s.DateOfInitialCPC < c.CINreferralDate
