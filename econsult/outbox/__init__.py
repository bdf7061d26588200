"""The transactional outbox of outgoing e-mail (django-post-office's Email rows).

Every e-mail the product sends is first a row written in the transaction of the change that
causes it, so it is kept whatever happens to the broker; a Celery task queued on commit, and
beat every minute, drain the due rows. See `services` for the guarantees.
"""
