-- When the child's first episode this year starts the period of care (RNE S), no decision to place for adoption
-- can come before it.
WITH first_this AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM, _row) AS k FROM episodes)
    WHERE k = 1 AND RNE = 'S')
SELECT 'placedadoption' AS table_name, p._row, p.CHILD AS child
FROM placedadoption p JOIN first_this f ON f.CHILD = p.CHILD
WHERE p.DATE_PLACED < f.DECOM
