SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN header_last l ON l.CHILD = h.CHILD
WHERE h.ETHNIC <> l.ETHNIC
