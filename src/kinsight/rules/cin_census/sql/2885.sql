-- A plan starting in the year must start on the day of an initial conference of its episode: one held on
-- a section 47 enquiry, or the episode's own conference when no enquiry of the episode records one.
WITH p AS (SELECT collection_start AS s, collection_end AS e FROM params),
s47 AS (
    SELECT LAchildID, CINdetailsID, DateOfInitialCPC FROM section47 WHERE DateOfInitialCPC IS NOT NULL
)
SELECT 'childprotectionplans' AS table_name, cpp._row, cpp.LAchildID AS child
FROM childprotectionplans cpp
LEFT JOIN cindetails c ON c.LAchildID = cpp.LAchildID AND c.CINdetailsID = cpp.CINdetailsID
CROSS JOIN p
WHERE cpp.CPPstartDate BETWEEN p.s AND p.e
  AND NOT EXISTS (
      SELECT 1 FROM s47
      WHERE s47.LAchildID = cpp.LAchildID AND s47.CINdetailsID = cpp.CINdetailsID
        AND s47.DateOfInitialCPC = cpp.CPPstartDate
  )
  AND NOT (
      c.DateOfInitialCPC IS NOT DISTINCT FROM cpp.CPPstartDate
      AND NOT EXISTS (SELECT 1 FROM s47 WHERE s47.LAchildID = cpp.LAchildID AND s47.CINdetailsID = cpp.CINdetailsID)
  )
