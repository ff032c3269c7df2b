"""What the articles app tells the others (they connect in their ready()).

Sent by articles/services.py ``article_public_announce`` with ``article`` and
``using``, inside the transaction that made the change (a receiver that talks
to the outside world waits for the commit):

- ``article_published``: the article became public (published now, or its
  scheduled time was reached). Once per time it goes public.
- ``article_withdrawn``: it stopped being public (withdrawn, sent back to
  draft, rescheduled to a later time). Once per time it stops.
- ``article_updated``: a public article was saved and stays public.
"""

from django.dispatch import Signal

article_published = Signal()
article_withdrawn = Signal()
article_updated = Signal()
