"""Create new documents (blank or from the site's templates) and open them in ONLYOFFICE."""
