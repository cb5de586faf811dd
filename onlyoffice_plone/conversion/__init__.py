"""Convert legacy and ODF files to Office Open XML, and "Download as" any format Docs makes."""
