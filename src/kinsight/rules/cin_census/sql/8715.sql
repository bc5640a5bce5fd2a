-- An initial child protection conference (on the episode or a section 47 enquiry) dated outside the census year.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c, params
WHERE c.DateOfInitialCPC < params.collection_start OR c.DateOfInitialCPC > params.collection_end
UNION ALL
SELECT 'section47', s._row, s.LAchildID
FROM section47 s, params
WHERE s.DateOfInitialCPC < params.collection_start OR s.DateOfInitialCPC > params.collection_end
