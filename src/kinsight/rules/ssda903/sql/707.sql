WITH final AS (SELECT * FROM final_episodes)
SELECT 'dolo' AS table_name, d._row, d.CHILD AS child
FROM dolo d JOIN final f ON f.CHILD = d.CHILD
WHERE d.DOLO_END IS NULL AND f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1'
