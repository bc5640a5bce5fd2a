SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN header_last l ON l.CHILD = h.CHILD
WHERE TRY_CAST(l.MOTHER AS INTEGER) = 1 AND TRY_CAST(h.MOTHER AS INTEGER) = 0
