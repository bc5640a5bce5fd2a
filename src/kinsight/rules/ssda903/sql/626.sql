SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN header_last l ON l.CHILD = h.CHILD, params p
WHERE h.MOTHER = '1' AND h.MC_DOB < p.collection_start AND l.MOTHER = '0'
