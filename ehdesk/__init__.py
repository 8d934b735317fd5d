"""ehdesk: the Early Help information-sharing desk.

Everything in this package except ``ehdesk.gui`` runs without Qt, so the rules, storage and documents
can be used (and tested) from the command line and from scripts.
"""

__version__ = "0.1.0"
