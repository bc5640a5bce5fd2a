-- A closed episode cannot hold a section 47 enquiry left open (no conference date, not ICPCnotRequired).
SELECT 'section47' AS table_name, s._row, s.LAchildID AS child
FROM section47 s
JOIN cindetails c ON c.LAchildID = s.LAchildID AND c.CINdetailsID = s.CINdetailsID
WHERE c.CINclosureDate IS NOT NULL AND s.DateOfInitialCPC IS NULL AND s.ICPCnotRequired IS NOT TRUE
