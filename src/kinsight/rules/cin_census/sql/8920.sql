-- A child protection plan cannot end after the child's recorded death.
SELECT 'childprotectionplans' AS table_name, p._row, p.LAchildID AS child
FROM childprotectionplans p
JOIN childidentifiers i ON i.LAchildID = p.LAchildID
WHERE p.CPPendDate > i.PersonDeathDate
