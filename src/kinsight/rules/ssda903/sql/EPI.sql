-- A child in the header with no episodes this year, who is not a care leaver reported in OC3.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
WHERE h.CHILD IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD)
  AND NOT EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD)
