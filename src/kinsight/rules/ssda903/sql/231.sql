-- 231: a UASC child (a row in this year's UASC table) whose header date of birth makes them under 11 on
-- 31 March.  The header row is flagged because DOB is checked there.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
WHERE EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = h.CHILD)
  AND age_on(h.DOB, (SELECT collection_end FROM params)) < 11
