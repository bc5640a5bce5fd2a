-- The date of birth in ad1 must match the header's (when both are given).
SELECT 'ad1' AS table_name, t._row, t.CHILD AS child
FROM ad1 t
WHERE t.DOB IS NOT NULL
  AND EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD AND h.DOB IS NOT NULL AND h.DOB <> t.DOB)
