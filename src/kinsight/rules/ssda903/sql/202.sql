SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN header_last l ON l.CHILD = h.CHILD
WHERE h.SEX IS DISTINCT FROM l.SEX AND h.SEX IS NOT NULL AND l.SEX IS NOT NULL
