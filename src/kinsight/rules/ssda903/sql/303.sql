-- 303: only meaningful where the header carries a UASC column (XML-style returns).  A DUC lives in the
-- UASC table, and a row there already makes the child UASC, so with status taken from the table this
-- rule could never fail; without a header UASC column the engine skips it.
SELECT 'uasc' AS table_name, u._row, u.CHILD AS child
FROM uasc u JOIN header_raw h ON h.CHILD = u.CHILD
WHERE u.DUC IS NOT NULL AND coalesce(TRY_CAST(h.UASC AS INTEGER), -1) <> 1
