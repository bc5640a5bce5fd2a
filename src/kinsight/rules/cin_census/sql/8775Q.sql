-- A child more than 25 years old at the episode's closure (or at the census date while it is open).
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
JOIN childidentifiers i ON i.LAchildID = c.LAchildID
CROSS JOIN params
WHERE i.PersonBirthDate < coalesce(c.CINclosureDate, params.collection_end) - INTERVAL 25 YEAR
