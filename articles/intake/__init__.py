"""Wire intake: the parser (`wire`), the importer's plan and apply, the admin intake."""
