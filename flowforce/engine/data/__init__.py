"""How record elements reach the record store: filters, the store gateway, bulk reads and writes."""
