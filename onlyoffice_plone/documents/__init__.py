"""What every feature shares about a document in Plone: its office file and format, who may
do what with it, its keys and sessions, the ONLYOFFICE lock, and storing files and versions."""
