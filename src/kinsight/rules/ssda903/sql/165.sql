-- MOTHER filled with anything but 0/1, or blank for a girl or young woman with care-leaver information.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header_raw h
WHERE (NOT is_blank(h.MOTHER) AND trim(h.MOTHER) NOT IN ('0', '1'))
   OR (is_blank(h.MOTHER) AND trim(h.SEX) = 'F'
       AND EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD
                   AND (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL)))
