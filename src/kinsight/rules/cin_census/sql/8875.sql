-- Initial child protection conferences are not held at weekends (on the episode or a section 47 enquiry).
SELECT 'cindetails' AS table_name, _row, LAchildID AS child FROM cindetails WHERE isodow(DateOfInitialCPC) >= 6
UNION ALL
SELECT 'section47', _row, LAchildID FROM section47 WHERE isodow(DateOfInitialCPC) >= 6
