-- An episode closed because the child died (RC2) while the child has no date of death.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
LEFT JOIN childidentifiers i ON i.LAchildID = c.LAchildID
WHERE c.ReasonForClosure = 'RC2' AND i.PersonDeathDate IS NULL
