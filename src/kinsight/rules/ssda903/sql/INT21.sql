-- The sex in the UASC table must match the header's (when both are given).
SELECT 'uasc' AS table_name, t._row, t.CHILD AS child
FROM uasc t
WHERE t.SEX IS NOT NULL
  AND EXISTS (SELECT 1 FROM header h WHERE h.CHILD = t.CHILD AND h.SEX IS NOT NULL AND h.SEX <> t.SEX)
