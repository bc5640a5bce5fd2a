-- A relevant or former relevant child was looked after for at least 13 weeks (91 days) after their 14th
-- birthday and was looked after on or after their 16th birthday.  Short breaks (V3/V4) do not count.
WITH leavers AS (
    SELECT o._row, o.CHILD, coalesce(h.DOB, o.DOB) AS dob
    FROM oc3 o LEFT JOIN header h ON h.CHILD = o.CHILD
    WHERE o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL),
-- Only care leavers' episodes are read: the sums below are per leaver.
eps AS (
    SELECT CHILD, DECOM, DEC, LS FROM episodes WHERE CHILD IN (SELECT CHILD FROM leavers)
    UNION ALL
    SELECT l.CHILD, l.DECOM, l.DEC, l.LS FROM episodes_last l
    WHERE l.CHILD IN (SELECT CHILD FROM leavers)
      AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = l.CHILD AND e.DECOM = l.DECOM)),
care AS (
    SELECT l._row, l.CHILD,
           sum(greatest(0, date_diff('day', greatest(e.DECOM, CAST(l.dob + INTERVAL 14 YEAR AS DATE)),
                                     coalesce(e.DEC, p.collection_end)))) AS days_after_14,
           max(coalesce(e.DEC, p.collection_end)) >= CAST(l.dob + INTERVAL 16 YEAR AS DATE) AS in_care_at_16
    FROM leavers l JOIN eps e ON e.CHILD = l.CHILD, params p
    WHERE coalesce(e.LS, '') NOT IN ('V3', 'V4') AND l.dob IS NOT NULL AND e.DECOM IS NOT NULL
    GROUP BY l._row, l.CHILD, l.dob)
SELECT 'oc3' AS table_name, l._row, l.CHILD AS child
FROM leavers l LEFT JOIN care c ON c._row = l._row
WHERE l.dob IS NOT NULL
  AND (l.CHILD IN (SELECT CHILD FROM episodes) OR l.CHILD IN (SELECT CHILD FROM episodes_last))
  AND (c._row IS NULL OR c.days_after_14 < 91 OR NOT c.in_care_at_16)
