SELECT 'reviews' AS table_name, r._row, r.CHILD AS child
FROM reviews r LEFT JOIN header h ON h.CHILD = r.CHILD
WHERE r.REVIEW_CODE = 'PN0' AND r.REVIEW IS NOT NULL AND coalesce(h.DOB, r.DOB) IS NOT NULL
  AND age_on(coalesce(h.DOB, r.DOB), r.REVIEW) >= 4
