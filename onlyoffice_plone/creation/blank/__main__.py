import sys

from onlyoffice_plone.creation.blank import main

sys.exit(main())
