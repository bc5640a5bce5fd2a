-- Authority-level check: plans starting in the year cannot outnumber initial conferences held in the year
-- (counted on the episode and on section 47 enquiries).  The finding is attached to the header.
WITH p AS (SELECT collection_start AS s, collection_end AS e FROM params),
plans AS (SELECT count(*) AS n FROM childprotectionplans, p WHERE CPPstartDate BETWEEN p.s AND p.e),
conferences AS (
    SELECT (SELECT count(*) FROM cindetails, p WHERE DateOfInitialCPC BETWEEN p.s AND p.e)
         + (SELECT count(*) FROM section47, p WHERE DateOfInitialCPC BETWEEN p.s AND p.e) AS n
)
SELECT 'header' AS table_name, h._row, NULL AS child
FROM header h, plans, conferences
WHERE plans.n > conferences.n
