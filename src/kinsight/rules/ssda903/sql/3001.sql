-- A care leaver whose 17th birthday fell this year cannot be living with former foster carers (ACCOM Z1/Z2).
SELECT 'oc3' AS table_name, o._row, o.CHILD AS child
FROM oc3 o LEFT JOIN header h ON h.CHILD = o.CHILD, params p
WHERE o.ACCOM IN ('Z1', 'Z2') AND age_on(coalesce(h.DOB, o.DOB), p.collection_end) = 17
