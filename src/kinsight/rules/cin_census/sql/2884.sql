-- The same initial conference recorded twice in one episode: on the episode and on a section 47 enquiry.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
JOIN section47 s ON s.LAchildID = c.LAchildID AND s.CINdetailsID = c.CINdetailsID
WHERE c.DateOfInitialCPC = s.DateOfInitialCPC
UNION ALL
SELECT 'section47', s._row, s.LAchildID
FROM cindetails c
JOIN section47 s ON s.LAchildID = c.LAchildID AND s.CINdetailsID = c.CINdetailsID
WHERE c.DateOfInitialCPC = s.DateOfInitialCPC
