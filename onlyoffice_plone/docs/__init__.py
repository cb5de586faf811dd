"""What every feature shares about talking to ONLYOFFICE Docs: the URLs and tokens Plone
gives it, the token it sends back, the file it downloads, and fetching what it produced."""
