SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.PL_POST IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM lookup_ons_postcodes p
    WHERE replace(upper(p.postcode), ' ', '') = replace(upper(e.PL_POST), ' ', '') AND p.la_code IS NOT NULL)
