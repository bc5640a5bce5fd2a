-- A child looked after on 31 March needs social worker episodes covering the whole year (from 1 April, or from
-- birth for a child born during the year), including time not looked after.  A first episode opened at first
-- contact (FCONTA) starts the child's social work history, so nothing earlier is expected.
WITH la_at_end AS (
    SELECT e.CHILD, min(e._row) AS ep_row FROM episodes e, params p
    WHERE e.DECOM <= p.collection_end AND e.DEC IS NULL GROUP BY e.CHILD),
earliest AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY SW_DECOM, _row) AS k
                   FROM swepisodes WHERE SW_DECOM IS NOT NULL AND CHILD IN (SELECT CHILD FROM la_at_end))
    WHERE k = 1)
SELECT 'swepisodes' AS table_name, s._row, s.CHILD AS child
FROM earliest s JOIN la_at_end l ON l.CHILD = s.CHILD LEFT JOIN header h ON h.CHILD = s.CHILD, params p
WHERE s.SW_DECOM > greatest(p.collection_start, coalesce(h.DOB, s.DOB, p.collection_start))
  AND s.SW_REASON IS DISTINCT FROM 'FCONTA'
UNION ALL
SELECT 'episodes', l.ep_row, l.CHILD
FROM la_at_end l
WHERE NOT EXISTS (SELECT 1 FROM swepisodes s WHERE s.CHILD = l.CHILD)
