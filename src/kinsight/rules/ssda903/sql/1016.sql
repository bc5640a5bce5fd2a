-- A young person whose 17th or 18th birthday fell this year and whose period of care ended after that birthday
-- needs no care leaver information this year.
WITH leavers AS (
    SELECT o._row, o.CHILD, coalesce(h.DOB, o.DOB) AS dob
    FROM oc3 o LEFT JOIN header h ON h.CHILD = o.CHILD
    WHERE o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL),
birthdays AS (
    SELECT l.*, CAST(l.dob + to_years(age_on(l.dob, p.collection_end)) AS DATE) AS bday
    FROM leavers l, params p
    WHERE age_on(l.dob, p.collection_end) IN (17, 18)),
final AS (SELECT * FROM final_episodes)
SELECT 'oc3' AS table_name, b._row, b.CHILD AS child
FROM birthdays b JOIN final f ON f.CHILD = b.CHILD
WHERE f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1' AND f.DEC > b.bday
