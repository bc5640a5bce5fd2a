SELECT 'reviews' AS table_name, r._row, r.CHILD AS child
FROM reviews r LEFT JOIN header h ON h.CHILD = r.CHILD
WHERE r.REVIEW_CODE IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7') AND r.REVIEW IS NOT NULL
  AND coalesce(h.DOB, r.DOB) IS NOT NULL AND age_on(coalesce(h.DOB, r.DOB), r.REVIEW) < 4
