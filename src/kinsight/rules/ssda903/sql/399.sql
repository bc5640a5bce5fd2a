WITH short_only AS (
    SELECT CHILD FROM episodes GROUP BY CHILD HAVING bool_and(coalesce(LS, '') IN ('V3', 'V4')))
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN short_only s USING (CHILD) WHERE h.MOTHER IS NOT NULL
UNION ALL
SELECT 'reviews', r._row, r.CHILD FROM reviews r JOIN short_only s USING (CHILD)
WHERE r.REVIEW IS NOT NULL OR r.REVIEW_CODE IS NOT NULL
