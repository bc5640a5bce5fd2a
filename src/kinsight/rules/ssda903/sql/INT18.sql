-- The date of birth in uasc must match the header's (when both are given).
SELECT 'uasc' AS table_name, t._row, t.CHILD AS child
FROM uasc t
WHERE t.DOB IS NOT NULL
  AND EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD AND h.DOB IS NOT NULL AND h.DOB <> t.DOB)
