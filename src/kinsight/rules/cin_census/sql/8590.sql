-- Every child in the return needs at least one CIN episode.
SELECT 'childidentifiers' AS table_name, i._row, i.LAchildID AS child
FROM childidentifiers i
WHERE NOT EXISTS (SELECT 1 FROM cindetails c WHERE c.LAchildID = i.LAchildID)
