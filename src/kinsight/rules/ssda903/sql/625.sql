-- The first child's birth cannot come after 31 March or after the mother ceased to be looked after.
WITH final AS (SELECT * FROM final_episodes)
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h LEFT JOIN final f ON f.CHILD = h.CHILD, params p
WHERE h.MC_DOB IS NOT NULL
  AND (h.MC_DOB > p.collection_end OR (f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1' AND h.MC_DOB > f.DEC))
