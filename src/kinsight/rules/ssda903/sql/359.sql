SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN header h ON h.CHILD = e.CHILD, params p
WHERE (e.DEC IS NULL OR e.DEC > h.DOB + INTERVAL 18 YEAR) AND h.DOB + INTERVAL 18 YEAR <= p.collection_end
  AND (coalesce(e.LS, '') <> 'V2' OR coalesce(e.PLACE, '') NOT IN ('K1', 'K2', 'K3', 'H5'))
