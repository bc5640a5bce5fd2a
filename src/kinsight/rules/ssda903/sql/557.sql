-- The child's final episode ended the period of care (not X1) without adoption, after a decision to place for
-- adoption that is still shown as open.
WITH final AS (SELECT * FROM final_episodes)
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p JOIN final f ON f.CHILD = p.CHILD
WHERE p.DATE_PLACED IS NOT NULL AND f.DEC IS NOT NULL AND f.DEC >= p.DATE_PLACED
  AND f.REC IS NOT NULL AND f.REC NOT IN ('X1', 'E11', 'E12')
  AND (p.DATE_PLACED_CEASED IS NULL OR p.REASON_PLACED_CEASED IS NULL)
