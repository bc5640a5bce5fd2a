-- OC2 holds the children looked after continuously for 12 months to 31 March.
SELECT 'oc2' AS table_name, o._row, o.CHILD AS child
FROM oc2 o LEFT JOIN header h ON h.CHILD = o.CHILD, params
WHERE o.CONVICTED IS NULL AND age_on(coalesce(h.DOB, o.DOB), params.collection_end) >= 10
