-- A plan's review must come after the day the plan started.
SELECT 'reviews' AS table_name, r._row, r.LAchildID AS child
FROM reviews r
JOIN childprotectionplans p ON p.LAchildID = r.LAchildID AND p.CPPID = r.CPPID
WHERE r.CPPreviewDate <= p.CPPstartDate
