-- Children in this or last year's UASC table are (or were) unaccompanied asylum seekers: no distance.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.PL_DISTANCE IS NOT NULL
  AND (e.CHILD IN (SELECT CHILD FROM uasc) OR e.CHILD IN (SELECT CHILD FROM uasc_last))
