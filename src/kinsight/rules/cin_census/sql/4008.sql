-- A CIN plan cannot start after the child's recorded death.
SELECT 'cinplandates' AS table_name, d._row, d.LAchildID AS child
FROM cinplandates d
JOIN childidentifiers i ON i.LAchildID = d.LAchildID
WHERE d.CINPlanStartDate > i.PersonDeathDate
