-- A young person whose 17th or 18th birthday fell this year and who was looked after on that birthday and is
-- still looked after at 31 March needs no care leaver information.
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
WHERE f.DEC IS NULL
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = b.CHILD AND e.DECOM <= b.bday
              AND (e.DEC IS NULL OR e.DEC > b.bday) AND coalesce(e.LS, '') NOT IN ('V3', 'V4'))
