SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h, params p
WHERE h.MOTHER = '1' AND h.DOB IS NOT NULL AND age_on(h.DOB, p.collection_start) < 11
