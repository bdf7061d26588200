"""Signals the drafts app sends for work that rooms above it do (drafts imports none of them).

`provisions_published` is sent by drafts.services.provisions_sync once a version's provision
rows are written, within the publish's transaction, with `page` (the DraftPage, also the
sender's class), `version` (its DraftVersion), `created` (True when this publish made the
version: Dự thảo N published for the first time) and `added` (the keys, as str, of the rows
this publish created). consult.feedback listens: a provision's feedback figures count the
comments of every version, so the new rows take those of the earlier versions.
"""

from django.dispatch import Signal

provisions_published = Signal()
