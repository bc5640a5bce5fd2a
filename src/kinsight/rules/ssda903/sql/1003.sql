-- When the child's first episode this year starts the period of care (RNE S), no decision to place for adoption
-- can come before it.
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p JOIN first_episodes f ON f.CHILD = p.CHILD
WHERE f.RNE = 'S' AND p.DATE_PLACED < f.DECOM
