-- A section 47 enquiry cannot start before the referral of the episode it belongs to.
SELECT 'section47' AS table_name, s._row, s.LAchildID AS child
FROM section47 s
JOIN cindetails c ON c.LAchildID = s.LAchildID AND c.CINdetailsID = s.CINdetailsID
WHERE s.S47ActualStartDate < c.CINreferralDate
