-- A CIN plan should not end after the child's recorded death.
SELECT 'cinplandates' AS table_name, d._row, d.LAchildID AS child
FROM cinplandates d
JOIN childidentifiers i ON i.LAchildID = d.LAchildID
WHERE d.CINPlanEndDate > i.PersonDeathDate
