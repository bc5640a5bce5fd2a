SELECT 'oc2' AS table_name, o._row, o.CHILD AS child
FROM oc2 o LEFT JOIN header h ON h.CHILD = o.CHILD, params
WHERE o.CONVICTED IS NOT NULL AND age_on(coalesce(h.DOB, o.DOB), params.collection_end) < 10
